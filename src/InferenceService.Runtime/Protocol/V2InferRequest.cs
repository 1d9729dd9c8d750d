using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Protocol;

/// <summary>A decoded Open Inference Protocol infer request (not yet checked against a model).</summary>
public sealed record V2InferRequest
{
    public string? Id { get; init; }

    public required IReadOnlyList<Tensor> Inputs { get; init; }

    /// <summary>Requested outputs; null when the request names none (all outputs).</summary>
    public IReadOnlyList<string>? Outputs { get; init; }

    /// <summary>The request's priority and timeout, as sent (checked against the model on submit).</summary>
    public RequestParameters Parameters { get; init; }

    /// <summary>Outputs to return as binary data (their own <c>binary_data</c> parameter).</summary>
    public IReadOnlySet<string> BinaryOutputs { get; init; } = new HashSet<string>();

    /// <summary>The request's <c>binary_data_output</c> parameter: every output as binary data.</summary>
    public bool AllOutputsBinary { get; init; }

    public bool IsBinaryOutput(string name) => AllOutputsBinary || BinaryOutputs.Contains(name);
}

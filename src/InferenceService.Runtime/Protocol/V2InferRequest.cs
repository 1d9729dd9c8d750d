using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Protocol;

/// <summary>A decoded Open Inference Protocol infer request (not yet checked against a model).</summary>
public sealed record V2InferRequest
{
    public string? Id { get; init; }

    public required IReadOnlyList<Tensor> Inputs { get; init; }

    /// <summary>Requested outputs; null when the request names none (all outputs).</summary>
    public IReadOnlyList<string>? Outputs { get; init; }

    public int? Priority { get; init; }

    public long? TimeoutMicroseconds { get; init; }
}

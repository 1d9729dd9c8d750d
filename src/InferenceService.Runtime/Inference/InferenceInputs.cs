using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Inference;

/// <summary>A decoded request for an admitted model: its input tensors and the outputs it wants.</summary>
/// <param name="Outputs">Null or empty = every output of the model, in config order.</param>
public sealed record InferenceInputs(IReadOnlyList<Tensor> Inputs, IReadOnlyList<string>? Outputs = null)
{
    /// <summary>Parameters found in the body; when set they replace those given at admission.</summary>
    public RequestParameters? Parameters { get; init; }

    /// <summary>The group this request is submitted with (a text request's texts), carried to its <see cref="InferenceRequest"/>.</summary>
    internal SubmissionGroup? Group { get; init; }
}

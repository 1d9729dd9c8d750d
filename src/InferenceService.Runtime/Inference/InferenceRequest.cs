using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Inference;

/// <summary>One validated request for one model version. Input shapes include the batch dim when the model batches.</summary>
public sealed record InferenceRequest
{
    public required IReadOnlyList<Tensor> Inputs { get; init; }

    /// <summary>The outputs to return, in this order; null means all of the model's outputs.</summary>
    public IReadOnlyList<string>? Outputs { get; init; }

    /// <summary>Batcher priority level (1 is the highest, Triton's convention); null uses the model's default.</summary>
    public int? Priority { get; init; }

    /// <summary>Queue timeout; may only shorten the model's default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Submitted together with others (see <see cref="SubmissionGroup"/>); null for a request on its own.</summary>
    internal SubmissionGroup? Group { get; init; }
}

using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Inference;

/// <summary>Runs validated requests for one model version: straight to the session pool, or through the batcher.</summary>
public interface IModelRunner : IAsyncDisposable
{
    /// <summary>Returns the requested outputs, each with the request's own batch size. Throws <see cref="InferenceException"/>.</summary>
    Task<IReadOnlyList<Tensor>> InferAsync(InferenceRequest request, CancellationToken cancellationToken);
}

using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Inference;

/// <summary>No batching: each request runs alone on a free instance.</summary>
internal sealed class DirectRunner(IBatchExecutor executor, IReadOnlyList<string> allOutputs) : IModelRunner
{
    public Task<IReadOnlyList<Tensor>> InferAsync(InferenceRequest request, CancellationToken cancellationToken) =>
        executor.ExecuteAsync(request.Inputs, request.Outputs ?? allOutputs, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

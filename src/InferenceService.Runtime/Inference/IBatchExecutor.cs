using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Inference;

/// <summary>Executes one assembled batch on a free model instance (the session pool implements it).</summary>
public interface IBatchExecutor
{
    /// <summary>How many batches may run at once (one per instance).</summary>
    int InstanceCount { get; }

    /// <summary>
    /// Runs the model on <paramref name="inputs"/> and returns <paramref name="outputNames"/> in that order.
    /// Waits for a free instance. Cancellation terminates the run. Throws <see cref="InferenceException"/> (Backend) on engine errors.
    /// </summary>
    Task<IReadOnlyList<Tensor>> ExecuteAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken);
}

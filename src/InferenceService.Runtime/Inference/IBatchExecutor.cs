using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Inference;

/// <summary>Executes one assembled batch on a free model instance (the session pool implements it).</summary>
/// <remarks>An executor does not keep <c>inputs</c> once a run has finished: the batcher reuses their arrays for the next batch.</remarks>
public interface IBatchExecutor
{
    /// <summary>How many batches may run at once (one per instance).</summary>
    int InstanceCount { get; }

    /// <summary>
    /// Runs the model on <paramref name="inputs"/> and returns <paramref name="outputNames"/> in that order; the outputs are the caller's.
    /// Waits for a free instance. Cancellation terminates the run. Throws <see cref="InferenceException"/> (Backend) on engine errors.
    /// </summary>
    Task<IReadOnlyList<Tensor>> ExecuteAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken);

    /// <summary>
    /// Runs like <see cref="ExecuteAsync(IReadOnlyList{Tensor}, IReadOnlyList{string}, CancellationToken)"/> but only lends the
    /// outputs to <paramref name="read"/>: once it returns (or throws) the executor may reuse their arrays, so it copies what
    /// it keeps. For a caller that splits a batch's outputs into copies anyway; an executor can then reuse one set of
    /// output arrays batch after batch. By default the outputs are the executor's usual (owned) ones.
    /// </summary>
    internal async Task<TResult> ExecuteAsync<TResult>(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, Func<IReadOnlyList<Tensor>, TResult> read, CancellationToken cancellationToken) =>
        read(await ExecuteAsync(inputs, outputNames, cancellationToken).ConfigureAwait(false));
}

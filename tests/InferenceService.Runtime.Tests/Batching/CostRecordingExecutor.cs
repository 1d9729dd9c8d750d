using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>Passes runs to <paramref name="inner"/> and keeps the largest rows × padded length (input dims 0 and 1) it was given.</summary>
internal sealed class CostRecordingExecutor(IBatchExecutor inner) : IBatchExecutor
{
    private long _maxCost;

    public int InstanceCount => inner.InstanceCount;

    public long MaxCost => Interlocked.Read(ref _maxCost);

    public Task<IReadOnlyList<Tensor>> ExecuteAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken)
    {
        var cost = inputs[0].Shape[0] * inputs[0].Shape[1];
        for (var seen = MaxCost; cost > seen && Interlocked.CompareExchange(ref _maxCost, cost, seen) != seen; seen = MaxCost)
        {
        }

        return inner.ExecuteAsync(inputs, outputNames, cancellationToken);
    }
}

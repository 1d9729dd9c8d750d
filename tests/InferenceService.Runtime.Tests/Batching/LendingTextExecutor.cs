using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>
/// <see cref="FakeTextExecutor.Compute"/> that checks the batcher's side of buffer reuse: each run copies its inputs,
/// yields, and counts a violation if they changed meanwhile (a recycled array handed to another batch while in use);
/// lent outputs come from its own recycler and are overwritten with NaN as soon as the reader is done, so an answer that
/// still points at one shows up as NaN instead of the right values.
/// </summary>
internal sealed class LendingTextExecutor(int instanceCount) : IBatchExecutor
{
    private int _inputsChanged;
    private int _lent;

    public int InstanceCount { get; } = instanceCount;

    public ArrayRecycler Outputs { get; } = new(capacity: 8, minBytes: 0);

    public int InputsChanged => Volatile.Read(ref _inputsChanged);

    public int Lent => Volatile.Read(ref _lent);

    public async Task<IReadOnlyList<Tensor>> ExecuteAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken) =>
        await RunAsync(inputs, outputNames, lendFrom: null).ConfigureAwait(false);

    async Task<TResult> IBatchExecutor.ExecuteAsync<TResult>(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, Func<IReadOnlyList<Tensor>, TResult> read, CancellationToken cancellationToken)
    {
        var outputs = await RunAsync(inputs, outputNames, Outputs).ConfigureAwait(false);
        Interlocked.Increment(ref _lent);
        try
        {
            return read(outputs);
        }
        finally
        {
            foreach (var output in outputs)
            {
                ((float[])output.Data).AsSpan().Fill(float.NaN);
                Outputs.Return(output);
            }
        }
    }

    private async Task<IReadOnlyList<Tensor>> RunAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, ArrayRecycler? lendFrom)
    {
        var before = inputs.Select(t => t.As<long>().ToArray()).ToList();
        for (var i = 0; i < 3; i++)
        {
            await Task.Yield();
        }

        var computed = FakeTextExecutor.Compute(inputs, outputNames);
        if (inputs.Where((t, i) => !t.As<long>().AsSpan().SequenceEqual(before[i])).Any())
        {
            Interlocked.Increment(ref _inputsChanged);
        }

        if (lendFrom is null)
        {
            return computed;
        }

        return computed.Select(t =>
        {
            var copy = lendFrom.Rent<float>(t.ElementCount);
            t.As<float>().CopyTo(copy, 0);
            return new Tensor(t.Name, t.DataType, t.Shape, copy);
        }).ToList();
    }
}

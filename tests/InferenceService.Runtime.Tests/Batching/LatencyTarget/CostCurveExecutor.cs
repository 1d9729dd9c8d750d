using System.Collections.Concurrent;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Batching.LatencyTarget;

/// <summary>
/// A text model (<see cref="FakeTextExecutor.Compute"/>) whose batch of n takes exactly <see cref="Multiplier"/> · (a + b·n) ms
/// of fake time: each run advances the <see cref="FakeTimeProvider"/> by that much before it returns. Optionally holds runs
/// until <see cref="Open"/>, so that a test can queue a whole burst before time moves.
/// </summary>
internal sealed class CostCurveExecutor(FakeTimeProvider time, double aMs, double bMs, int instanceCount = 1) : IBatchExecutor
{
    private readonly ConcurrentQueue<int> _sizes = new();
    private readonly ConcurrentQueue<(int Rows, long Length)> _runs = new();
    private readonly ConcurrentQueue<double> _overrides = new();
    private TaskCompletionSource _gate = Opened();

    public int InstanceCount => instanceCount;

    /// <summary>A step change in cost: every later run takes this many times a + b·n.</summary>
    public double Multiplier { get; set; } = 1;

    /// <summary>The batch size of every run so far, calibration runs included.</summary>
    public IReadOnlyList<int> Sizes => _sizes.ToArray();

    /// <summary>The rows and padded length (input dims 0 and 1) of every run so far, calibration runs included.</summary>
    public IReadOnlyList<(int Rows, long Length)> Runs => _runs.ToArray();

    /// <summary>A factor on the cost by the batch's sequence length (e.g. longer buckets cost more); 1 by default.</summary>
    public Func<long, double> LengthFactor { get; set; } = _ => 1;

    public double CostMs(int items, long length = 1) => Multiplier * LengthFactor(length) * (aMs + (bMs * items));

    /// <summary>The next run takes <paramref name="ms"/> whatever its size: a slow outlier the cost curve does not predict.</summary>
    public void NextRunTakes(double ms) => _overrides.Enqueue(ms);

    /// <summary>From now on runs wait (before taking any time) until <see cref="Open"/>.</summary>
    public void Hold() => Volatile.Write(ref _gate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Open() => Volatile.Read(ref _gate).TrySetResult();

    public async Task<IReadOnlyList<Tensor>> ExecuteAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken)
    {
        // Bounded, so a test that fails before opening the gate does not hang in the batcher's disposal.
        await Volatile.Read(ref _gate).Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        var rows = (int)inputs[0].Shape[0];
        _runs.Enqueue((rows, inputs[0].Shape[1]));
        _sizes.Enqueue(rows);
        time.Advance(TimeSpan.FromMilliseconds(_overrides.TryDequeue(out var ms) ? ms : CostMs(rows, inputs[0].Shape[1])));
        return FakeTextExecutor.Compute(inputs, outputNames);
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}

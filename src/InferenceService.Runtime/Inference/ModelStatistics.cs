using System.Collections.Concurrent;
using InferenceService.Runtime.Telemetry;

namespace InferenceService.Runtime.Inference;

/// <summary>
/// Lock-free counters behind <see cref="ModelStatisticsSnapshot"/>; a snapshot may mix updates in flight, as Triton's does.
/// The same events feed the OpenTelemetry instruments (<paramref name="metrics"/>), so /stats and /metrics cannot disagree.
/// Request success and failure are counted by <see cref="ObservedRunner"/>, which sees the failure reason and cache hits.
/// </summary>
internal sealed class ModelStatistics(TimeProvider timeProvider, ModelMetrics? metrics = null)
{
    private readonly ConcurrentDictionary<long, BatchSizeCounters> _batches = new();
    private long _lastInference;
    private long _inferenceCount;
    private long _executionCount;
    private long _successCount;
    private long _successTicks;
    private long _failCount;
    private long _failTicks;
    private long _queueTicks;
    private long _inputTicks;
    private long _inferTicks;
    private long _outputTicks;

    public void RecordExecution(long items)
    {
        Interlocked.Increment(ref _executionCount);
        Interlocked.Add(ref _inferenceCount, items);
        metrics?.Execution(items);
    }

    /// <summary>One successful execution's durations, by its batch size (in items). Durations are timestamp differences.</summary>
    public void RecordBatch(long items, long input, long infer, long output)
    {
        _batches.GetOrAdd(items, static _ => new BatchSizeCounters()).Record(input, infer, output);
        metrics?.Compute(Seconds(input), Seconds(infer), Seconds(output));
    }

    /// <summary>All durations are <see cref="TimeProvider.GetTimestamp"/> differences.</summary>
    public void RecordSuccess(long total, long queue, long input, long infer, long output)
    {
        Interlocked.Increment(ref _successCount);
        Interlocked.Add(ref _successTicks, total);
        Interlocked.Add(ref _queueTicks, queue);
        Interlocked.Add(ref _inputTicks, input);
        Interlocked.Add(ref _inferTicks, infer);
        Interlocked.Add(ref _outputTicks, output);
        Volatile.Write(ref _lastInference, timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        metrics?.Queue(Seconds(queue));
    }

    public void RecordFailure(long total)
    {
        Interlocked.Increment(ref _failCount);
        Interlocked.Add(ref _failTicks, total);
    }

    public ModelStatisticsSnapshot Snapshot()
    {
        var success = Volatile.Read(ref _successCount);
        return new ModelStatisticsSnapshot
        {
            LastInference = Volatile.Read(ref _lastInference),
            InferenceCount = Volatile.Read(ref _inferenceCount),
            ExecutionCount = Volatile.Read(ref _executionCount),
            Success = new(success, Ns(ref _successTicks)),
            Fail = new(Volatile.Read(ref _failCount), Ns(ref _failTicks)),
            Queue = new(success, Ns(ref _queueTicks)),
            ComputeInput = new(success, Ns(ref _inputTicks)),
            ComputeInfer = new(success, Ns(ref _inferTicks)),
            ComputeOutput = new(success, Ns(ref _outputTicks)),
            BatchStats = _batches.OrderBy(b => b.Key).Select(b => b.Value.Snapshot(b.Key, ToNs)).ToList(),
        };
    }

    private long Ns(ref long ticks) => ToNs(Volatile.Read(ref ticks));

    private double Seconds(long ticks) => (double)ticks / timeProvider.TimestampFrequency;

    private long ToNs(long ticks) => (long)(ticks * (1_000_000_000.0 / timeProvider.TimestampFrequency));
}

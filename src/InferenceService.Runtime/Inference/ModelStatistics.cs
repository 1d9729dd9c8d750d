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
    private readonly ConcurrentDictionary<long, BatchSizeCounters> batches = new();
    private long lastInference;
    private long inferenceCount;
    private long executionCount;
    private long successCount;
    private long successTicks;
    private long failCount;
    private long failTicks;
    private long queueTicks;
    private long inputTicks;
    private long inferTicks;
    private long outputTicks;

    public void RecordExecution(long items)
    {
        Interlocked.Increment(ref executionCount);
        Interlocked.Add(ref inferenceCount, items);
        metrics?.Execution(items);
    }

    /// <summary>One successful execution's durations, by its batch size (in items). Durations are timestamp differences.</summary>
    public void RecordBatch(long items, long input, long infer, long output)
    {
        batches.GetOrAdd(items, static _ => new BatchSizeCounters()).Record(input, infer, output);
        metrics?.Compute(Seconds(input), Seconds(infer), Seconds(output));
    }

    /// <summary>All durations are <see cref="TimeProvider.GetTimestamp"/> differences.</summary>
    public void RecordSuccess(long total, long queue, long input, long infer, long output)
    {
        Interlocked.Increment(ref successCount);
        Interlocked.Add(ref successTicks, total);
        Interlocked.Add(ref queueTicks, queue);
        Interlocked.Add(ref inputTicks, input);
        Interlocked.Add(ref inferTicks, infer);
        Interlocked.Add(ref outputTicks, output);
        Volatile.Write(ref lastInference, timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        metrics?.Queue(Seconds(queue));
    }

    public void RecordFailure(long total)
    {
        Interlocked.Increment(ref failCount);
        Interlocked.Add(ref failTicks, total);
    }

    public ModelStatisticsSnapshot Snapshot()
    {
        var success = Volatile.Read(ref successCount);
        return new ModelStatisticsSnapshot
        {
            LastInference = Volatile.Read(ref lastInference),
            InferenceCount = Volatile.Read(ref inferenceCount),
            ExecutionCount = Volatile.Read(ref executionCount),
            Success = new(success, Ns(ref successTicks)),
            Fail = new(Volatile.Read(ref failCount), Ns(ref failTicks)),
            Queue = new(success, Ns(ref queueTicks)),
            ComputeInput = new(success, Ns(ref inputTicks)),
            ComputeInfer = new(success, Ns(ref inferTicks)),
            ComputeOutput = new(success, Ns(ref outputTicks)),
            BatchStats = batches.OrderBy(b => b.Key).Select(b => b.Value.Snapshot(b.Key, ToNs)).ToList(),
        };
    }

    private long Ns(ref long ticks) => ToNs(Volatile.Read(ref ticks));

    private double Seconds(long ticks) => (double)ticks / timeProvider.TimestampFrequency;

    private long ToNs(long ticks) => (long)(ticks * (1_000_000_000.0 / timeProvider.TimestampFrequency));
}

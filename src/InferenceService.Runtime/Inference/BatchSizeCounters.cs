namespace InferenceService.Runtime.Inference;

/// <summary>Lock-free counters behind one <see cref="BatchStatistics"/> entry; durations in timestamp ticks.</summary>
internal sealed class BatchSizeCounters
{
    private long count;
    private long inputTicks;
    private long inferTicks;
    private long outputTicks;

    public void Record(long input, long infer, long output)
    {
        Interlocked.Increment(ref count);
        Interlocked.Add(ref inputTicks, input);
        Interlocked.Add(ref inferTicks, infer);
        Interlocked.Add(ref outputTicks, output);
    }

    public BatchStatistics Snapshot(long batchSize, Func<long, long> toNs)
    {
        var executions = Volatile.Read(ref count);
        return new BatchStatistics(
            batchSize,
            new StatisticsDuration(executions, toNs(Volatile.Read(ref inputTicks))),
            new StatisticsDuration(executions, toNs(Volatile.Read(ref inferTicks))),
            new StatisticsDuration(executions, toNs(Volatile.Read(ref outputTicks))));
    }
}

namespace InferenceService.Runtime.Inference;

/// <summary>Lock-free counters behind one <see cref="BatchStatistics"/> entry; durations in timestamp ticks.</summary>
internal sealed class BatchSizeCounters
{
    private long _count;
    private long _inputTicks;
    private long _inferTicks;
    private long _outputTicks;

    public void Record(long input, long infer, long output)
    {
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _inputTicks, input);
        Interlocked.Add(ref _inferTicks, infer);
        Interlocked.Add(ref _outputTicks, output);
    }

    public BatchStatistics Snapshot(long batchSize, Func<long, long> toNs)
    {
        var executions = Volatile.Read(ref _count);
        return new BatchStatistics(
            batchSize,
            new StatisticsDuration(executions, toNs(Volatile.Read(ref _inputTicks))),
            new StatisticsDuration(executions, toNs(Volatile.Read(ref _inferTicks))),
            new StatisticsDuration(executions, toNs(Volatile.Read(ref _outputTicks))));
    }
}

namespace InferenceService.Runtime.Batching;

/// <summary>Triton's dynamic batching knobs (same names and meanings).</summary>
public sealed record DynamicBatchingConfig
{
    public IReadOnlyList<int> PreferredBatchSizes { get; init; } = [];

    public long MaxQueueDelayMicroseconds { get; init; }

    public int MaxQueueSize { get; init; }

    public long DefaultTimeoutMicroseconds { get; init; }

    public int PriorityLevels { get; init; }

    public int DefaultPriorityLevel { get; init; }
}

namespace InferenceService.Runtime.Batching;

/// <summary>
/// Triton's dynamic batching knobs (same names and meanings; Triton's <c>default_queue_policy</c> fields sit flat here).
/// Checked by <see cref="DynamicBatchingConfigValidator"/>.
/// </summary>
public sealed record DynamicBatchingConfig
{
    /// <summary>Batch sizes (in items) to dispatch at once when one can be formed; none means max_batch_size.</summary>
    public IReadOnlyList<int> PreferredBatchSizes { get; init; } = [];

    /// <summary>How long a batch may wait to grow, measured from its oldest request. 0 dispatches what is queued whenever an instance is free.</summary>
    public long MaxQueueDelayMicroseconds { get; init; }

    /// <summary>Requests (not items) that may wait; one more is rejected at once (503). 0 means <see cref="DefaultMaxQueueSize"/>: the queue is always bounded.</summary>
    public int MaxQueueSize { get; init; }

    /// <summary>How long a request may wait in the queue; 0 means no limit. A request's own timeout may only shorten it.</summary>
    public long DefaultTimeoutMicroseconds { get; init; }

    /// <summary>0 or 1: one level. Otherwise requests carry a priority 1 (highest) .. priority_levels.</summary>
    public int PriorityLevels { get; init; }

    /// <summary>The level of requests that name none; 0 when <see cref="PriorityLevels"/> is 0.</summary>
    public int DefaultPriorityLevel { get; init; }

    /// <summary>
    /// Not in Triton. Ascending upper bounds on the padded length (the longest variable dim of a request's inputs):
    /// requests only share a batch with requests of the same bucket, so short sequences neither wait for nor pay for long ones.
    /// Lengths above the last bound form one more bucket. Empty: one bucket.
    /// </summary>
    public IReadOnlyList<long> LengthBuckets { get; init; } = [];

    /// <summary>
    /// Not in Triton; HuggingFace TEI's max_batch_tokens. A batch's padded cost is its rows × its padded length (the longest
    /// variable dim of its members); no batch costs more. A request that costs more on its own is refused (400), as TEI
    /// refuses inputs longer than its max_input_length, so this is also the largest request the model accepts. Null: no budget.
    /// </summary>
    public long? MaxBatchTokens { get; init; }

    /// <summary>
    /// Not in Triton. The p99 of queue + compute time to aim for, in ms; null (the default) keeps the static knobs. When set,
    /// <see cref="LatencyTarget.LatencyTuner"/> chooses each batch's size and wait online, with max_batch_size (or the largest preferred
    /// size) and a non-zero max_queue_delay_microseconds as upper bounds; max_queue_delay_microseconds 0 then means "no cap".
    /// </summary>
    public double? LatencyTargetMs { get; init; }

    /// <summary>The queue bound used when <see cref="MaxQueueSize"/> is 0 (Triton's "unlimited"): large, but never unbounded.</summary>
    public const int DefaultMaxQueueSize = 4096;
}

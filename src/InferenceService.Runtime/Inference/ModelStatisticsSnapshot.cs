namespace InferenceService.Runtime.Inference;

/// <summary>
/// One model version's counters, shaped like Triton's statistics extension (<c>inference_stats</c> plus the two counts)
/// so the HTTP layer can serialise it as is. Durations are cumulative; averages are ns / count.
/// </summary>
public sealed record ModelStatisticsSnapshot
{
    /// <summary>Unix time in milliseconds of the last successful request, 0 if none.</summary>
    public long LastInference { get; init; }

    /// <summary>Items inferred (the sum of executed batch sizes); / <see cref="ExecutionCount"/> is the average batch size.</summary>
    public long InferenceCount { get; init; }

    /// <summary>Model executions (batches run).</summary>
    public long ExecutionCount { get; init; }

    /// <summary>Requests answered with outputs, and their time from arrival to answer.</summary>
    public StatisticsDuration Success { get; init; }

    /// <summary>Requests that failed for any reason (rejected, timed out, cancelled, engine error), and their time to failure.</summary>
    public StatisticsDuration Fail { get; init; }

    /// <summary>Successful requests' time waiting in the batcher's queue (0 for models without batching).</summary>
    public StatisticsDuration Queue { get; init; }

    /// <summary>Successful requests' time assembling their batch's inputs (concatenation, padding).</summary>
    public StatisticsDuration ComputeInput { get; init; }

    /// <summary>Successful requests' time in the engine (for every request of a batch, the batch's time, as Triton counts).</summary>
    public StatisticsDuration ComputeInfer { get; init; }

    /// <summary>Successful requests' time splitting and slicing their outputs.</summary>
    public StatisticsDuration ComputeOutput { get; init; }

    /// <summary>Response cache lookups that answered the request, and their lookup time (Triton's <c>cache_hit</c>).</summary>
    public StatisticsDuration CacheHit { get; init; }

    /// <summary>Response cache lookups that found nothing, and their lookup plus insertion time, the model's own time excluded (Triton's <c>cache_miss</c>).</summary>
    public StatisticsDuration CacheMiss { get; init; }

    /// <summary>Per executed batch size (ascending), successful executions and their compute durations.</summary>
    public IReadOnlyList<BatchStatistics> BatchStats { get; init; } = [];

    /// <summary>Only for a batcher with dynamic_batching.latency_target_ms: its target, plan, cost models and last decision.</summary>
    public Batching.LatencyTarget.LatencyTargetStatistics? LatencyTarget { get; init; }
}

namespace InferenceService.Runtime.Batching.LatencyTarget;

/// <summary>What latency-target batching decided and why: the target, the plan, the calibration and each bucket's cost model.</summary>
public sealed record LatencyTargetStatistics
{
    public double TargetMs { get; init; }

    /// <summary>The AIMD factor: the batcher plans with <see cref="TargetMs"/> × this (at most 0.9).</summary>
    public double PlanFactor { get; init; }

    /// <summary>p99 (nearest rank) of queue + compute over the last 64 requests that arrived after calibration; null before any.</summary>
    public double? ObservedP99Ms { get; init; }

    /// <summary>steady, increase, decrease, or hold (the target was missed while the queue was backlogged: load, not the plan).</summary>
    public string LastAdjustment { get; init; } = "steady";

    /// <summary>pending, done, or failed (with the reason): until done, requests queue and the loop waits.</summary>
    public string Calibration { get; init; } = "pending";

    /// <summary>The calibration runs: batch size and median time in ms.</summary>
    public IReadOnlyList<CalibrationPointStatistics> CalibrationPoints { get; init; } = [];

    /// <summary>Set when the target cannot be met, e.g. it is shorter than the measured batch-1 time; requests are still served.</summary>
    public string? Warning { get; init; }

    /// <summary>Per shape bucket seen so far (the shape key the batcher groups by).</summary>
    public IReadOnlyList<BucketCostStatistics> Buckets { get; init; } = [];

    /// <summary>The last batch the tuner let go; null before the first.</summary>
    public LatencyDecisionStatistics? LastDecision { get; init; }

    /// <summary>Batches let go so far, by <see cref="LatencyDecisionStatistics.Reason"/>.</summary>
    public IReadOnlyDictionary<string, long> Decisions { get; init; } = new Dictionary<string, long>();
}

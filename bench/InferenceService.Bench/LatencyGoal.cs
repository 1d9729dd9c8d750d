namespace InferenceService.Bench;

/// <summary>
/// Issue 11's goal for one workload: the latency-target configuration meets its p99 target at every offered rate where the
/// best static setting (the one with the highest throughput) does, and its best throughput is within 5 % of that setting's.
/// A point meets the target when it has no failures and its p99 (from the scheduled send time) is at most the target.
/// </summary>
internal sealed record LatencyGoal(SweepResult BestStatic, SweepResult Tuned, double TargetMs)
{
    public const double ThroughputShare = 0.95;

    public static LatencyGoal? Of(IReadOnlyList<SweepResult> sweeps, double targetMs)
    {
        var best = sweeps.Where(s => s.Kind == SweepResult.Static).MaxBy(s => s.BestThroughput);
        var tuned = sweeps.FirstOrDefault(s => s.Kind == SweepResult.Target);
        return best is null || tuned is null ? null : new LatencyGoal(best, tuned, targetMs);
    }

    /// <summary>Offered fractions where the best static setting meets the target but the tuned one does not.</summary>
    public IReadOnlyList<double> Missed => BestStatic.Points.Where(p => p.Meets(TargetMs))
        .Where(p => Tuned.Points.FirstOrDefault(t => t.Fraction == p.Fraction) is not { } t || !t.Meets(TargetMs))
        .Select(p => p.Fraction).ToList();

    public double ThroughputRatio => BestStatic.BestThroughput > 0 ? Tuned.BestThroughput / BestStatic.BestThroughput : 0;

    /// <summary>The "done when": the tuned configuration meets the target at every offered rate of the sweep.</summary>
    public bool TunedHoldsEverywhere => Tuned.Points.Count > 0 && Tuned.Points.All(p => p.Meets(TargetMs));

    public bool Holds => Missed.Count == 0 && ThroughputRatio >= ThroughputShare;
}

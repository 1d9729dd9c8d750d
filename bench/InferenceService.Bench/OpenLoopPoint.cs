namespace InferenceService.Bench;

/// <summary>
/// One open-loop load point. Latencies run from each request's scheduled send time (no coordinated omission), over 2xx
/// answers only; <see cref="Failures"/> counts everything else, including requests skipped because the in-flight cap was
/// reached. Throughput: 2xx answers per second between the first and the last answer.
/// </summary>
internal sealed record OpenLoopPoint(
    double Fraction,
    double OfferedRps,
    double Seconds,
    int Scheduled,
    long Ok,
    long Non2xx,
    long Errors,
    long Skipped,
    double ThroughputRps,
    double P50Ms,
    double P99Ms,
    double MaxMs)
{
    public long Failures => Non2xx + Errors + Skipped;

    /// <summary>
    /// p99 of how late the generator's loop reached each due time (it shares the cores with the service). Latencies already
    /// include it; a large value says the generator, not only the service, was starved.
    /// </summary>
    public double SendLagP99Ms { get; init; }

    /// <summary>Mean items per executed batch over the point, from the model's statistics; null when unknown.</summary>
    public double? AverageBatch { get; init; }

    /// <summary>Latency-target mode only: the tuner's plan factor and chosen batch size after the point.</summary>
    public double? PlanFactor { get; init; }

    public int? ChosenBatch { get; init; }

    public bool Meets(double targetMs) => Ok > 0 && Failures == 0 && P99Ms <= targetMs;
}

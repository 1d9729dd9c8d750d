namespace InferenceService.Runtime.Batching.LatencyTarget;

/// <summary>
/// The mean gap between one shape bucket's arrivals, as an exponentially weighted average of the last gaps (weight
/// <see cref="Smoothing"/> on the newest), in timestamp ticks; unknown until the bucket's second request. A burst after a
/// quiet spell moves it by only an eighth of the spell, so the burst's first request still expects company.
/// Not thread-safe: <see cref="LatencyTuner"/> calls it under its lock.
/// </summary>
internal sealed class ArrivalRate
{
    public const double Smoothing = 0.125;

    private long _last = long.MinValue;

    /// <summary>Null until two requests arrived.</summary>
    public double? GapTicks { get; private set; }

    /// <param name="enqueuedAt">Concurrent writers may reach the loop slightly out of order: a negative gap counts as 0.</param>
    public void Arrived(long enqueuedAt)
    {
        if (_last != long.MinValue)
        {
            double gap = Math.Max(0, enqueuedAt - _last);
            GapTicks = GapTicks is { } mean ? mean + (Smoothing * (gap - mean)) : gap;
        }

        _last = Math.Max(_last, enqueuedAt);
    }
}

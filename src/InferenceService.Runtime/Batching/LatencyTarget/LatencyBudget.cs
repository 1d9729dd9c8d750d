namespace InferenceService.Runtime.Batching.LatencyTarget;

/// <summary>
/// The share of the latency target the batcher plans with, adjusted as Clipper does (AIMD): multiplied by
/// <see cref="Decrease"/> when the observed p99 exceeds the target, raised by <see cref="Increase"/> per batch while it
/// does not, within [<see cref="MinFactor"/>, <see cref="MaxFactor"/>]. The cost model predicts the mean; the factor
/// buys the headroom that the tail (jitter, arrival bursts) needs on this machine.
/// Not thread-safe: <see cref="LatencyTuner"/> calls it under its lock.
/// </summary>
internal sealed class LatencyBudget(double targetMs)
{
    /// <summary>The most the plan uses: a 10 % margin even when the cost model is exact.</summary>
    public const double MaxFactor = 0.9;

    public const double MinFactor = 0.3;

    public const double Decrease = 0.8;

    public const double Increase = 0.01;

    /// <summary>Requests the p99 is taken over (nearest rank, so it is the slowest of the last 64 once full).</summary>
    public const int LatencyWindow = 64;

    /// <summary>While any of the last this many batches left compatible requests behind, misses are blamed on load.</summary>
    public const int BacklogLookback = 8;

    private readonly double[] _latencies = new double[LatencyWindow];
    private readonly Queue<bool> _recentBacklog = new();
    private int _latencyCount;
    private int _latencyNext;
    private int _sinceDecrease = LatencyWindow;

    public double TargetMs { get; } = targetMs;

    public double Factor { get; private set; } = MaxFactor;

    public double PlanMs => Factor * TargetMs;

    /// <summary>What the last batch did to the factor: steady, increase, decrease, or hold (missed, but the queue was backlogged).</summary>
    public string LastAdjustment { get; private set; } = "steady";

    public double? ObservedP99Ms()
    {
        if (_latencyCount == 0)
        {
            return null;
        }

        var sorted = _latencies.AsSpan(0, _latencyCount).ToArray();
        Array.Sort(sorted);
        return sorted[(int)Math.Ceiling(0.99 * _latencyCount) - 1];
    }

    /// <summary>
    /// One finished batch. <paramref name="backlogged"/>: it left compatible requests queued. Then the queue, not the plan,
    /// made the latency: shrinking batches would lower the throughput and lengthen the queue, so the factor holds.
    /// </summary>
    public void Record(bool backlogged, IEnumerable<double> requestLatenciesMs)
    {
        foreach (var ms in requestLatenciesMs)
        {
            _latencies[_latencyNext] = ms;
            _latencyNext = (_latencyNext + 1) % LatencyWindow;
            _latencyCount = Math.Min(_latencyCount + 1, LatencyWindow);
            _sinceDecrease++;
        }

        _recentBacklog.Enqueue(backlogged);
        if (_recentBacklog.Count > BacklogLookback)
        {
            _recentBacklog.Dequeue();
        }

        if (ObservedP99Ms() is not { } p99)
        {
            return;
        }

        if (p99 <= TargetMs)
        {
            var raised = Math.Min(MaxFactor, Factor + Increase);
            LastAdjustment = raised > Factor ? "increase" : "steady";
            Factor = raised;
        }
        else if (_recentBacklog.Contains(true))
        {
            LastAdjustment = "hold";
        }
        else if (_sinceDecrease >= LatencyWindow)
        {
            // At most once per window of requests, so that one slow spell is not punished again before the window has
            // seen the effect of the first decrease.
            Factor = Math.Max(MinFactor, Factor * Decrease);
            _sinceDecrease = 0;
            LastAdjustment = "decrease";
        }
        else
        {
            LastAdjustment = "steady";
        }
    }
}

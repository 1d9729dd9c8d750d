using InferenceService.Runtime.Inference;
using Microsoft.Extensions.Logging;

namespace InferenceService.Runtime.Batching.LatencyTarget;

/// <summary>
/// Latency-target batching for one model version (<c>latency_target_ms</c>): chooses each batch's size and wait from a
/// per-bucket cost model (a + b·n, <see cref="BatchCostModel"/>) and an AIMD-adjusted plan (<see cref="LatencyBudget"/>).
/// A batch goes when it reaches the chosen size — the largest whose cost still fits the plan when the queue is saturated —
/// or when waiting longer would let its oldest request's queue + compute time pass the plan. A backlog whose oldest request
/// can no longer make the plan drains at the cap instead (throughput, not batch size, then bounds latency). A batch below
/// the chosen size does not wait at all when, at the bucket's measured arrival rate (<see cref="ArrivalRate"/>), it already
/// keeps up, or when no further arrival is expected before its deadline. max_batch_size (or the
/// largest preferred size) and a non-zero max_queue_delay stay upper bounds.
/// </summary>
/// <remarks>
/// Chosen size with k instances under saturation: a batch of n collects for about T(n)/k, then runs T(n), so the oldest
/// request sees T(n)·(1 + 1/k); the size is the largest n with (a + b·n)(1 + 1/k) ≤ plan (throughput n/T(n) grows with n).
/// The loop calls <see cref="Decide"/>; batch tasks call <see cref="Observe"/> concurrently; <see cref="GetStatistics"/>
/// comes from HTTP threads. All state is guarded by <see cref="_gate"/>, held briefly and never across an await.
/// </remarks>
internal sealed class LatencyTuner
{
    /// <summary>
    /// A batch keeps up when, at the measured arrival rate, the instances would be busy at most this share of the time
    /// dispatching batches of its size: then waiting for company buys no throughput that is needed, only latency.
    /// At 0.75 the queueing that dispatching at once causes is still about 1.5·T(n) (M/D/1), small against the plan;
    /// 0.5 stopped firing near 90 % load in a quick sweep, and MiniLM's batches then waited for the plan again
    /// (p99 63 ms end to end against 33 ms for a 500 µs static delay).
    /// </summary>
    public const double KeepUpUtilisation = 0.75;

    private readonly Lock _gate = new();
    private readonly BatchingModel _model;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly int _instanceCount;
    private readonly LatencyBudget _budget;
    private readonly Dictionary<string, BatchCostModel> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ArrivalRate> _arrivals = new(StringComparer.Ordinal);
    private readonly Dictionary<DispatchReason, long> _decisions = [];
    private CostLine _shape = CostLine.Proportional;
    private List<CostPoint> _calibration = [];
    private string? _calibrationBucket;
    private string _calibrationState = "pending";
    private string? _warning;
    private long _servingSince = long.MaxValue;
    private LatencyDecisionStatistics? _lastDecision;

    public LatencyTuner(BatchingModel model, double targetMs, int instanceCount, TimeProvider timeProvider, ILogger logger)
    {
        _model = model;
        _timeProvider = timeProvider;
        _logger = logger;
        _instanceCount = Math.Max(1, instanceCount);
        _budget = new LatencyBudget(targetMs);
    }

    /// <summary>Never throws (except for cancellation): a failed calibration leaves a proportional prior that the first batches correct.</summary>
    public async Task CalibrateAsync(IBatchExecutor executor, Func<bool> stop, CancellationToken cancellationToken)
    {
        List<CostPoint> points = [];
        string state;
        string? bucket = null;
        CostLine prior;
        int size;
        string? unreachable;
        try
        {
            // Never larger than max_batch_tokens allows at the calibration's length: no batch the model runs exceeds the budget.
            var cap = TokenBudget.LargestBatch(_model.BatchCap, _model.MaxBatchTokens, TokenBudget.WarmupLength(_model.Config));
            points = await Calibration.RunAsync(_model.Config, executor, cap, _budget.TargetMs, _timeProvider, stop, cancellationToken).ConfigureAwait(false);
            bucket = CalibrationBucket();
            state = points.Count > 0 ? "done" : "failed: stopped before the first run";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            state = $"failed: {ex.Message}";
        }

        lock (_gate)
        {
            _calibration = points;
            _calibrationBucket = bucket;
            _calibrationState = state;

            // One point (batch 1 already over the target) cannot split a from b: assume no batching gain.
            _shape = CostLine.Fit(points) ?? (points.Count > 0 ? new CostLine(0, points[0].Ms / points[0].Items) : CostLine.Proportional);
            if (points.Count > 0 && points[0].Ms > _budget.TargetMs)
            {
                _warning = $"latency_target_ms {_budget.TargetMs} is shorter than the measured batch-1 time {points[0].Ms:F3} ms: requests are sent alone at once and miss the target.";
            }

            _servingSince = _timeProvider.GetTimestamp();
            if (bucket is not null)
            {
                // Created now so the stats show the calibrated model before the first request.
                _ = Bucket(bucket);
            }

            (prior, size, unreachable) = (_shape, ChooseSize(_shape), _warning);
        }

        BatcherLog.Calibrated(_logger, _model.Name, _budget.TargetMs, state, prior.InterceptMs, prior.SlopeMs, size);
        if (unreachable is not null)
        {
            BatcherLog.TargetUnreachable(_logger, _model.Name, unreachable);
        }
    }

    /// <summary>Whether to dispatch the head's batch now, and how much of it. Called by the loop only, after calibration.</summary>
    public DispatchDecision Decide(BatchCandidate candidate, long now)
    {
        lock (_gate)
        {
            var key = candidate.Members[0].Shape.Key;
            var line = Bucket(key).Line;
            var size = ChooseSize(line);
            int take = 0, items = 0;
            foreach (var member in candidate.Members)
            {
                if (take > 0 && items + member.Shape.Rows > size)
                {
                    break;
                }

                items += member.Shape.Rows;
                take++;
            }

            var waited = now - candidate.OldestEnqueuedAt;
            DispatchReason reason;
            if (line.Predict(1) > _budget.TargetMs)
            {
                reason = DispatchReason.Unreachable;
            }
            else if (take < candidate.Members.Count && Ms(waited) + line.Predict(items) > _budget.PlanMs)
            {
                // A backlog whose oldest request misses its plan even at the chosen size: the queue, not the batch, now
                // sets the latency, and only throughput shortens the queue. Shrinking batches here is a death spiral, so
                // take all the candidate holds (up to the cap); these larger batches also show the cost model sizes it
                // would never choose, so a pessimistic fit corrects itself.
                (take, items) = (candidate.Members.Count, candidate.Items);
                reason = DispatchReason.Drain;
            }
            else if (items >= size || take < candidate.Members.Count)
            {
                reason = DispatchReason.Size;
            }
            else if (candidate.Full)
            {
                reason = DispatchReason.Full;
            }
            else
            {
                // An instance is free (the loop asks only then). Waiting pays only if company is expected in time and is
                // needed: unknown rate (a bucket's first request) → wait as planned.
                var left = WaitTicks(line, items) - waited;
                var gap = _arrivals.TryGetValue(key, out var rate) ? rate.GapTicks : null;
                if (left <= 0)
                {
                    reason = DispatchReason.Deadline;
                }
                else if (gap is { } keepUpGap && KeepsUp(line, items, keepUpGap))
                {
                    reason = DispatchReason.KeepUp;
                }
                else if (gap is { } sparseGap && left <= sparseGap)
                {
                    reason = DispatchReason.Sparse;
                }
                else
                {
                    // Until the deadline, or until less than one mean gap is left before it (then "sparse"). Rounded up
                    // so the wake-up never comes a tick early and finds the moment not yet reached.
                    var ticks = (left - (gap ?? 0)) * TimeSpan.TicksPerSecond / _timeProvider.TimestampFrequency;
                    return DispatchDecision.Wait(TimeSpan.FromTicks((long)Math.Ceiling(ticks)));
                }
            }

            _decisions[reason] = _decisions.GetValueOrDefault(reason) + 1;
            _lastDecision = new LatencyDecisionStatistics(key, items, reason.ToWireName(), Ms(waited));
            return DispatchDecision.Dispatch(take, backlogged: take < candidate.Members.Count || candidate.Full);
        }
    }

    /// <summary>A request of bucket <paramref name="key"/> was admitted at <paramref name="enqueuedAt"/> (the loop calls it as it reads requests).</summary>
    public void Arrived(string key, long enqueuedAt)
    {
        lock (_gate)
        {
            if (!_arrivals.TryGetValue(key, out var rate))
            {
                rate = new ArrivalRate();
                _arrivals.Add(key, rate);
            }

            rate.Arrived(enqueuedAt);
        }
    }

    /// <summary>A batch that succeeded: its processing time refits its bucket; its members' latencies feed the p99.</summary>
    /// <param name="ticks">Assembly + execution + split, in timestamp ticks.</param>
    /// <param name="enqueuedAt">The answered members' admission timestamps.</param>
    /// <param name="answeredAt">When they were answered.</param>
    public void Observe(string key, int items, long ticks, bool backlogged, IEnumerable<long> enqueuedAt, long answeredAt)
    {
        lock (_gate)
        {
            Bucket(key).Observe(new CostPoint(items, Ms(ticks)));

            // Requests that waited for calibration would blame the plan for the start-up.
            _budget.Record(backlogged, enqueuedAt.Where(t => t >= _servingSince).Select(t => Ms(answeredAt - t)).ToList());
        }
    }

    public LatencyTargetStatistics GetStatistics()
    {
        lock (_gate)
        {
            return new LatencyTargetStatistics
            {
                TargetMs = _budget.TargetMs,
                PlanFactor = _budget.Factor,
                ObservedP99Ms = _budget.ObservedP99Ms(),
                LastAdjustment = _budget.LastAdjustment,
                Calibration = _calibrationState,
                CalibrationPoints = _calibration.Select(p => new CalibrationPointStatistics(p.Items, p.Ms)).ToList(),
                Warning = CurrentWarning(),
                Buckets = _buckets.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b =>
                {
                    var line = b.Value.Line;
                    var gap = _arrivals.TryGetValue(b.Key, out var rate) ? rate.GapTicks : null;
                    return new BucketCostStatistics(b.Key, line.InterceptMs, line.SlopeMs, b.Value.Batches, ChooseSize(line), Ms(LoneWaitTicks(line, gap)))
                    {
                        ArrivalGapMs = gap is { } g ? g * 1000 / _timeProvider.TimestampFrequency : null,
                    };
                }).ToList(),
                LastDecision = _lastDecision,
                Decisions = new SortedDictionary<string, long>(_decisions.ToDictionary(d => d.Key.ToWireName(), d => d.Value), StringComparer.Ordinal),
            };
        }
    }

    /// <summary>The shape key of the calibration inputs; null if the batcher would not take them as a request.</summary>
    private string? CalibrationBucket()
    {
        try
        {
            return _model.Describe(new InferenceRequest { Inputs = Calibration.Inputs(_model.Config, 1) }).Key;
        }
        catch (InferenceException)
        {
            return null;
        }
    }

    // Precondition: _gate held.
    private BatchCostModel Bucket(string key)
    {
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            // Only the calibration's own bucket starts from its points; others keep its shape and rescale after one batch.
            bucket = new BatchCostModel(_shape, key == _calibrationBucket ? _calibration : []);
            _buckets.Add(key, bucket);
        }

        return bucket;
    }

    // Precondition: _gate held. The calibration's warning only while the calibration bucket's fit still puts a lone batch
    // over the target: once a refit brings T(1) within it, Decide stops sending requests alone at once, and a warning
    // saying it does would mislead (a calibration disturbed by a busy machine otherwise warns for the process's lifetime).
    private string? CurrentWarning() =>
        _warning is not null && _calibrationBucket is not null && _buckets.TryGetValue(_calibrationBucket, out var bucket)
            && bucket.Line.Predict(1) <= _budget.TargetMs ? null : _warning;

    // Precondition: _gate held.
    private int ChooseSize(CostLine line)
    {
        var perBatchMs = _budget.PlanMs / (1 + (1.0 / _instanceCount));
        if (line.SlopeMs <= 0)
        {
            return _model.BatchCap;
        }

        // The epsilon keeps an exact boundary that rounding put at 16.9999999999 on 17.
        var size = Math.Floor(((perBatchMs - line.InterceptMs) / line.SlopeMs) + 1e-9);
        return (int)Math.Clamp(size, 1, _model.BatchCap);
    }

    // Precondition: _gate held. How long the oldest of a batch of `items` may wait: the plan minus the batch's cost, capped
    // by a non-zero max_queue_delay.
    private long WaitTicks(CostLine line, int items)
    {
        var ms = _budget.PlanMs - line.Predict(items);
        var ticks = ms <= 0 ? 0 : (long)(ms * _timeProvider.TimestampFrequency / 1000);
        return _model.MaxQueueDelayTicks > 0 ? Math.Min(ticks, _model.MaxQueueDelayTicks) : ticks;
    }

    // Precondition: _gate held. Whether batches of `items` sustain the arrival rate (one per `gapTicks`) with the instances
    // busy at most KeepUpUtilisation of the time: λ·T(n) / (n·k) ≤ ρ.
    private bool KeepsUp(CostLine line, int items, double gapTicks)
    {
        var gapMs = gapTicks * 1000 / _timeProvider.TimestampFrequency;
        return line.Predict(items) <= KeepUpUtilisation * items * _instanceCount * gapMs;
    }

    // Precondition: _gate held. What Decide would let a lone request wait, as the stats show it.
    private long LoneWaitTicks(CostLine line, double? gapTicks)
    {
        var wait = WaitTicks(line, 1);
        return gapTicks is not { } gap ? wait : KeepsUp(line, 1, gap) ? 0 : Math.Max(0, wait - (long)gap);
    }

    private double Ms(long ticks) => ticks * 1000.0 / _timeProvider.TimestampFrequency;
}

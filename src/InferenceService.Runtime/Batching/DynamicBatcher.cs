using System.Collections.Concurrent;
using System.Threading.Channels;
using System.Diagnostics;
using InferenceService.Runtime.Batching.LatencyTarget;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Logging;

namespace InferenceService.Runtime.Batching;

/// <summary>
/// Triton-style dynamic batcher for one model version. Callers write requests into a bounded channel; one scheduler
/// loop (the channel's single reader) moves them into per-priority FIFOs and, whenever an instance is free, dispatches
/// the batch around the oldest highest-priority request once it is full, reaches a preferred size, or its oldest member
/// has waited max_queue_delay. Up to <see cref="IBatchExecutor.InstanceCount"/> batches run at once.
/// Timeouts and cancellations answer the caller at once from their own timer or token callback; the loop only unlinks them.
/// When the loop would dispatch a lone request at once anyway (no delay, no latency target: the work-conserving default),
/// nothing is queued and an instance is free, the caller runs it itself as a batch of one (<see cref="TryRunInline"/>):
/// no hand-off to the loop, no task started, which for a model of a few microseconds is most of the request's cost.
/// A batch that waits for max_queue_delay (or a latency target's plan) is dispatched by the delay timer's own callback
/// rather than by waking the loop, so a timed batch is one hop (the pool thread that runs it) from the timer firing.
/// An <see cref="IDispatchPolicy"/> decides when each batch goes and how big it is: <see cref="QueueDelayPolicy"/>, or
/// with dynamic_batching.latency_target_ms a <see cref="LatencyTargetPolicy"/> over a <see cref="LatencyTuner"/>.
/// </summary>
internal sealed class DynamicBatcher : IModelRunner, IModelStatistics, IAdmissionCheck
{
    /// <summary>How long disposal lets running batches finish (a hot swap disposes the old version under load) before cancelling them.</summary>
    internal static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    private readonly BatchingModel _model;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ModelStatistics _statistics;
    private readonly BatchRunner _runner;
    private readonly QueueDrainEstimate _drain;
    private readonly Channel<QueuedRequest> _channel;
    private readonly ConcurrentQueue<QueuedRequest> _leftEarly = new();
    private readonly AsyncSignal _wake = new();

    // _wake.Set as one delegate, so that the members of a SubmissionGroup defer the same wake, once.
    private readonly Action _wakeLoop;
    private readonly PendingQueue _pending;
    private readonly ITimer _delayTimer;

    // Held by whoever dispatches: the loop's pass, or the delay timer's callback. Nothing inside it waits.
    private readonly Lock _dispatchLock = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly int _instanceCount;
    private readonly LatencyTuner? _tuner;
    private readonly IDispatchPolicy _policy;
    private readonly bool _inline;
    private readonly Task _loop;

    // Admitted requests that have not left the queue yet (checked against max_queue_size).
    private int _queued;

    // Batches handed to the executor and not finished.
    private int _running;

    // Requests in those batches, so admission can tell admitted requests still decoding from those already running.
    private int _runningRequests;
    private int _disposed;
    private int _drainExpired;

    // Requests taken (read from the channel, or run inline) and batches dispatched (by the loop or inline), for the test hook.
    private long _received;
    private long _dispatched;

    /// <param name="inputBuffers">Recycles the concatenated inputs' arrays; null for the runner's default (large arrays only).</param>
    public DynamicBatcher(BatchingModel model, IBatchExecutor executor, TimeProvider timeProvider, ILogger logger, ModelMetrics? metrics = null, ArrayRecycler? inputBuffers = null)
    {
        _model = model;
        _timeProvider = timeProvider;
        _logger = logger;
        _statistics = new ModelStatistics(timeProvider, metrics);
        _instanceCount = Math.Max(1, executor.InstanceCount);
        _tuner = model.LatencyTargetMs is { } target ? new LatencyTuner(model, target, _instanceCount, timeProvider, logger) : null;
        _policy = _tuner is null ? new QueueDelayPolicy(model, timeProvider) : new LatencyTargetPolicy(_tuner);
        _drain = new QueueDrainEstimate(timeProvider);
        _runner = new BatchRunner(model, executor, timeProvider, _statistics, logger, _tuner, metrics, _drain, inputBuffers);
        _pending = new PendingQueue(model.PriorityLevels);
        _wakeLoop = _wake.Set;

        // Only where the policy would send a lone request the moment an instance is free: a delay or a latency target
        // holds it back to batch, and that choice stays the loop's.
        _inline = _tuner is null && model.MaxQueueDelayTicks == 0;

        // Admission is counted in `_queued` against the same bound, so the channel refuses a write only after shutdown or while
        // it briefly holds requests that already left by timeout or cancellation (answered as queue full).
        _channel = Channel.CreateBounded<QueuedRequest>(new BoundedChannelOptions(model.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _delayTimer = timeProvider.CreateTimer(static state => ((DynamicBatcher)state!).DelayOver(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        // With a latency target the loop waits for calibration (bounded, see Calibration) before its first batch; requests queue meanwhile.
        Calibrated = _tuner is null ? Task.CompletedTask : Task.Run(() => _tuner.CalibrateAsync(executor, () => Volatile.Read(ref _disposed) != 0, _shutdown.Token));
        _loop = Task.Run(RunLoopAsync);
    }

    /// <summary>Completes when latency-target calibration has finished (at once without a target). Never faults except on cancellation.</summary>
    internal Task Calibrated { get; }

    /// <summary>Test hook: called by the loop each time it goes to sleep, with the requests read, the batches dispatched and the batches running.</summary>
    internal Action<long, long, int>? LoopIdle { get; set; }

    /// <summary>Test hook: awaited before each pass over new arrivals, so that a test can queue a burst the loop then reads at once.</summary>
    internal Func<Task>? BeforeRead { get; set; }

    /// <summary>
    /// Returns the queued request's own answer task, not an async wrapper around it, so that a timeout or cancellation
    /// completes the caller's task the moment its timer or token fires. Admission failures come back as a faulted task.
    /// </summary>
    public Task<IReadOnlyList<Tensor>> InferAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var start = _timeProvider.GetTimestamp();
        if (cancellationToken.IsCancellationRequested)
        {
            _statistics.RecordFailure(0);
            return Task.FromCanceled<IReadOnlyList<Tensor>>(cancellationToken);
        }

        try
        {
            var shape = _model.Describe(request);
            var level = _model.ResolveLevel(request.Priority);
            var timeout = _model.ResolveTimeout(request.Timeout);
            if (Volatile.Read(ref _disposed) != 0)
            {
                throw BatcherErrors.Unloading(_model.Name);
            }

            // A member of an open group queues, so that it can share a batch with the members submitted after it.
            return (_inline && request.Group is not { IsOpen: true } ? TryRunInline(request, shape, level, start, cancellationToken) : null)
                ?? Admit(request, shape, level, timeout, start, cancellationToken).Answer;
        }
        catch (InferenceException ex)
        {
            _statistics.RecordFailure(_timeProvider.GetTimestamp() - start);
            return Task.FromException<IReadOnlyList<Tensor>>(ex);
        }
    }

    public int QueueDepth => Volatile.Read(ref _queued);

    /// <summary>
    /// Refuses before any work when the queue is full, or when the requests ahead (queued, or admitted and still
    /// decoding) would outlast the request's timeout (with one priority level only: with several, a request may
    /// overtake them).
    /// </summary>
    public InferenceException? CheckAdmission(TimeSpan? timeout, int admitted = 0)
    {
        var queued = Volatile.Read(ref _queued);
        if (queued >= _model.QueueCapacity)
        {
            return BatcherErrors.QueueFull(_model.Name, _model.QueueCapacity);
        }

        var ahead = Math.Max(queued, admitted - Volatile.Read(ref _runningRequests));
        if (_model.PriorityLevels == 1 && ahead > 0 && _model.ResolveTimeout(timeout) is { } limit && _drain.Wait(ahead, _instanceCount) is { } wait && wait > limit)
        {
            return BatcherErrors.ExpectedWait(_model.Name, wait, limit);
        }

        return null;
    }

    public ModelStatisticsSnapshot GetStatistics() => _tuner is null ? _statistics.Snapshot() : _statistics.Snapshot() with { LatencyTarget = _tuner.GetStatistics() };

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Armed before the first await: the drain limit runs from this call, however long the loop takes to stop.
        await using var drainTimer = _timeProvider.CreateTimer(
            static state =>
            {
                var self = (DynamicBatcher)state!;
                Volatile.Write(ref self._drainExpired, 1);
                self._wake.Set();
            },
            this,
            DrainTimeout,
            Timeout.InfiniteTimeSpan);
        _channel.Writer.TryComplete();
        _wake.Set();
        await _loop.ConfigureAwait(false);
        await _delayTimer.DisposeAsync().ConfigureAwait(false);

        // The loop is gone, so this method is now the signal's only resetter. Running batches set it when they end.
        while (Volatile.Read(ref _running) > 0)
        {
            _wake.Reset();
            if (Volatile.Read(ref _running) == 0)
            {
                break;
            }

            if (Volatile.Read(ref _drainExpired) != 0)
            {
                BatcherLog.DrainTimedOut(_logger, _model.Name, Volatile.Read(ref _running), DrainTimeout);
                await _shutdown.CancelAsync().ConfigureAwait(false);

                // Not disposed: running batches still hold its token. It owns no timer or wait handle, so nothing leaks.
                return;
            }

            await _wake.WaitAsync().ConfigureAwait(false);
        }

        _shutdown.Dispose();
    }

    /// <summary>
    /// Runs the request on the caller's thread as a batch of one when nothing is queued (so it overtakes no one) and an
    /// instance is free; null otherwise, and the request queues. The batch is counted as running, so the loop leaves
    /// the instance alone, admission sees it as running and disposal waits for it; statistics, spans and failures go
    /// through the same <see cref="BatchRunner"/> as a dispatched batch. Its queue time is admission to the claim.
    /// Its queue timeout no longer applies (it never waits); a cancellation answers at once as for a running batch.
    /// </summary>
    private Task<IReadOnlyList<Tensor>>? TryRunInline(InferenceRequest request, RequestShape shape, int level, long start, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _queued) != 0 || !TryClaimInstance())
        {
            return null;
        }

        // Claimed before checking: disposal sets the flag before it reads `_running`, so either it waits for this run or this sees the flag.
        if (Volatile.Read(ref _disposed) != 0)
        {
            ReleaseInstance();
            throw BatcherErrors.Unloading(_model.Name);
        }

        var item = new QueuedRequest(request, shape, level, start) { Caller = Activity.Current?.Context ?? default };
        item.TryLeaveQueue();
        item.LeftQueueAt = _timeProvider.GetTimestamp();
        if (cancellationToken.CanBeCanceled)
        {
            item.AttachCancellation(cancellationToken.Register(() => Cancel(item, cancellationToken)));
        }

        Interlocked.Increment(ref _runningRequests);
        Interlocked.Increment(ref _received);
        Interlocked.Increment(ref _dispatched);
        _ = RunInlineAsync(item);
        return item.Answer;
    }

    private async Task RunInlineAsync(QueuedRequest item)
    {
        try
        {
            await _runner.RunAsync([item], _shutdown.Token).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _runningRequests);
            ReleaseInstance();
        }
    }

    /// <summary>Takes an instance, if one is free: for an inline run, or for a batch the dispatcher is about to form.</summary>
    private bool TryClaimInstance()
    {
        var running = Volatile.Read(ref _running);
        while (running < _instanceCount)
        {
            var seen = Interlocked.CompareExchange(ref _running, running + 1, running);
            if (seen == running)
            {
                return true;
            }

            running = seen;
        }

        return false;
    }

    /// <summary>
    /// Gives back an inline run's instance. The loop needs waking only when something queued meanwhile (it found no free
    /// instance and sleeps) or when disposal waits for running batches: a request queued after this read wakes it itself.
    /// </summary>
    private void ReleaseInstance()
    {
        Interlocked.Decrement(ref _running);
        if (Volatile.Read(ref _queued) != 0 || Volatile.Read(ref _disposed) != 0)
        {
            _wake.Set();
        }
    }

    private QueuedRequest Admit(InferenceRequest request, RequestShape shape, int level, TimeSpan? timeout, long start, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _queued) > _model.QueueCapacity)
        {
            Interlocked.Decrement(ref _queued);
            throw BatcherErrors.QueueFull(_model.Name, _model.QueueCapacity);
        }

        var item = new QueuedRequest(request, shape, level, start)
        {
            Caller = Activity.Current?.Context ?? default,
            Deadline = timeout is { } t ? start + (long)Math.Ceiling(t.TotalSeconds * _timeProvider.TimestampFrequency) : long.MaxValue,
        };
        if (timeout is { } limit)
        {
            // Created disarmed and attached before arming, so that it can always be stopped when the request leaves.
            var timer = _timeProvider.CreateTimer(_ => Expire(item, limit), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            item.AttachTimeout(timer);
            timer.Change(limit, Timeout.InfiniteTimeSpan);
        }

        if (cancellationToken.CanBeCanceled)
        {
            item.AttachCancellation(cancellationToken.Register(() => Cancel(item, cancellationToken)));
        }

        if (!_channel.Writer.TryWrite(item))
        {
            // Besides shutdown, the channel can be briefly full of requests that timed out or were cancelled
            // before the loop read them (they no longer count as queued): that is a full queue too.
            Reject(item, _channel.Reader.Completion.IsCompleted || Volatile.Read(ref _disposed) != 0 ? BatcherErrors.Unloading(_model.Name) : BatcherErrors.QueueFull(_model.Name, _model.QueueCapacity));
        }

        // A member of an open group is woken with the rest of its group when the group closes.
        if (request.Group?.TryDefer(_wakeLoop) != true)
        {
            _wake.Set();
        }

        return item;
    }

    private void Expire(QueuedRequest item, TimeSpan timeout)
    {
        if (!item.TryLeaveQueue())
        {
            return;
        }

        LeftQueue(item);
        Fail(item, BatcherErrors.TimedOut(_model.Name, timeout));
    }

    private void Cancel(QueuedRequest item, CancellationToken token)
    {
        // Still queued: leave the queue now. Already in a running batch: answer now; the batch's result is dropped.
        if (item.TryLeaveQueue())
        {
            LeftQueue(item);
        }

        if (item.TryCancel(token))
        {
            _statistics.RecordFailure(_timeProvider.GetTimestamp() - item.EnqueuedAt);
        }
    }

    /// <summary>Fails a request that is still queued (shutdown, write refused).</summary>
    private void Reject(QueuedRequest item, Exception error)
    {
        if (item.TryLeaveQueue())
        {
            Interlocked.Decrement(ref _queued);
            Fail(item, error);
        }
    }

    /// <summary>Bookkeeping for a request that left by timeout or cancellation; the loop unlinks it.</summary>
    private void LeftQueue(QueuedRequest item)
    {
        Interlocked.Decrement(ref _queued);
        _leftEarly.Enqueue(item);
        _wake.Set();
    }

    private void Fail(QueuedRequest item, Exception error)
    {
        if (item.TryClaimAnswer())
        {
            _statistics.RecordFailure(_timeProvider.GetTimestamp() - item.EnqueuedAt);
            item.Fail(error);
        }
    }

    private async Task RunLoopAsync()
    {
        try
        {
            await Calibrated.ConfigureAwait(false);
            while (true)
            {
                _wake.Reset();
                if (BeforeRead is { } gate)
                {
                    await gate().ConfigureAwait(false);
                }

                lock (_dispatchLock)
                {
                    while (_channel.Reader.TryRead(out var item))
                    {
                        Interlocked.Increment(ref _received);
                        _policy.Arrived(item);
                        if (item.IsQueued)
                        {
                            _pending.Add(item);
                        }
                    }

                    while (_leftEarly.TryDequeue(out var item))
                    {
                        _pending.Remove(item);
                    }

                    if (Volatile.Read(ref _disposed) != 0)
                    {
                        break;
                    }

                    DispatchAndArm();
                    LoopIdle?.Invoke(Interlocked.Read(ref _received), Interlocked.Read(ref _dispatched), Volatile.Read(ref _running));
                }

                await _wake.WaitAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            BatcherLog.LoopFailed(_logger, _model.Name, ex);
            _channel.Writer.TryComplete(ex);
        }
        finally
        {
            lock (_dispatchLock)
            {
                while (_channel.Reader.TryRead(out var item))
                {
                    Reject(item, BatcherErrors.Unloading(_model.Name));
                }

                foreach (var item in _pending.RemoveAll())
                {
                    Reject(item, BatcherErrors.Unloading(_model.Name));
                }
            }
        }
    }

    /// <summary>
    /// Triton's timeout_action REJECT, applied as soon as it is certain rather than when the timer fires: a member whose
    /// deadline falls before a batch started now would end (the planned batch time) is answered 504 at once instead of
    /// taking a batch place it cannot use, so every request answered 200 finished within its timeout. Only a member
    /// that waited too long is refused, never one whose whole timeout is shorter than a batch: that one runs as Triton
    /// runs it, so a slow spell cannot refuse for ever on an estimate that no batch then corrects. Members that left
    /// since Peek (timer, cancellation) are unlinked too. True when any member left, so the caller forms the batch again.
    /// </summary>
    private bool RefuseUnmeetable(BatchCandidate candidate, long now)
    {
        var changed = false;
        var batchTicks = _drain.BatchTicks();
        foreach (var member in candidate.Members)
        {
            if (!member.IsQueued)
            {
                _pending.Remove(member);
                changed = true;
            }
            else if (batchTicks is { } ticks && member.Deadline - now < ticks && member.Deadline - member.EnqueuedAt >= ticks && member.TryLeaveQueue())
            {
                _pending.Remove(member);
                Interlocked.Decrement(ref _queued);
                var timeout = TimeSpan.FromSeconds((member.Deadline - member.EnqueuedAt) / (double)_timeProvider.TimestampFrequency);
                var batch = TimeSpan.FromSeconds(ticks / (double)_timeProvider.TimestampFrequency);
                Fail(member, BatcherErrors.DeadlineUnmeetable(_model.Name, timeout, _timeProvider.GetElapsedTime(member.EnqueuedAt, now), batch));
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>
    /// The delay timer fired: dispatch here rather than wake the loop (one hop) that would hand the batch to a pool
    /// thread (another). The batches are chosen under the lock and started after it is released, the last one on this
    /// (timer, i.e. pool) thread itself: the session pool runs an idle instance on its caller, and the lock must not be
    /// held for a run. Arrivals the loop has not read yet wake it as usual.
    /// </summary>
    private void DelayOver()
    {
        var due = new List<(List<QueuedRequest> Batch, bool Backlogged)>();
        lock (_dispatchLock)
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                DispatchAndArm(due);
            }
        }

        for (var i = 0; i < due.Count; i++)
        {
            var (batch, backlogged) = due[i];
            _ = i < due.Count - 1 ? Task.Run(() => RunBatchAsync(batch, backlogged)) : RunBatchAsync(batch, backlogged);
        }
    }

    /// <summary>Under <see cref="_dispatchLock"/>: dispatches what is due and sets the timer for the next batch due (or stops it).</summary>
    /// <param name="startHere">Null: each batch starts on a pool thread. Otherwise the batches are added here for the caller to start once the lock is released.</param>
    private void DispatchAndArm(List<(List<QueuedRequest> Batch, bool Backlogged)>? startHere = null)
    {
        var sleep = DispatchReady(startHere);
        _delayTimer.Change(sleep ?? Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Dispatches batches while an instance is free and one is due; returns how long to sleep before the next is due.</summary>
    private TimeSpan? DispatchReady(List<(List<QueuedRequest> Batch, bool Backlogged)>? startHere)
    {
        // The instance is claimed before the batch is formed, as an inline run claims it, so the two can never take the
        // same one; every pass that dispatches nothing gives it back.
        while (TryClaimInstance())
        {
            var candidate = _model.MaxBatchTokens is { } budget
                ? _pending.PeekWithinBudget(_model.BatchCap, budget, _policy.PreferredBatchSizes)
                : _pending.Peek(_model.BatchCap, _policy.PreferredBatchSizes);
            if (candidate is null)
            {
                Interlocked.Decrement(ref _running);
                return null;
            }

            var now = _timeProvider.GetTimestamp();
            if (RefuseUnmeetable(candidate, now))
            {
                // Some members left; the batch is formed again from what is still queued.
                Interlocked.Decrement(ref _running);
                continue;
            }

            var decision = _policy.Decide(candidate, now);
            if (decision.Take == 0)
            {
                Interlocked.Decrement(ref _running);
                return decision.Sleep;
            }

            var batch = new List<QueuedRequest>(decision.Take);
            for (var i = 0; i < decision.Take; i++)
            {
                var member = candidate.Members[i];
                _pending.Remove(member);

                // A member whose timer or token fired since Peek has been answered by that path.
                if (member.TryLeaveQueue())
                {
                    Interlocked.Decrement(ref _queued);
                    member.LeftQueueAt = now;
                    batch.Add(member);
                }
            }

            if (batch.Count == 0)
            {
                Interlocked.Decrement(ref _running);
            }
            else
            {
                Interlocked.Add(ref _runningRequests, batch.Count);
                Interlocked.Increment(ref _dispatched);

                // Never on this thread while it holds the dispatch lock: the session pool runs an idle instance on its caller.
                var backlogged = decision.Backlogged;
                if (startHere is null)
                {
                    _ = Task.Run(() => RunBatchAsync(batch, backlogged));
                }
                else
                {
                    startHere.Add((batch, backlogged));
                }
            }
        }

        return null;
    }

    /// <summary>Runs one dispatched batch and frees its instance.</summary>
    private async Task RunBatchAsync(List<QueuedRequest> batch, bool backlogged)
    {
        try
        {
            await _runner.RunAsync(batch, _shutdown.Token, backlogged).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Add(ref _runningRequests, -batch.Count);
            Interlocked.Decrement(ref _running);
            _wake.Set();
        }
    }
}

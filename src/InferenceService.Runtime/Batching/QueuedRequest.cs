using System.Diagnostics;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Batching;

/// <summary>
/// One waiting request and its _answer. It leaves the queue exactly once, through <see cref="TryLeaveQueue"/>: to a batch
/// (the loop), or by _timeout, _cancellation or shutdown; the winner of that race does the bookkeeping.
/// The _answer is set with TrySet*, so a result that arrives after a _cancellation is simply dropped.
/// </summary>
internal sealed class QueuedRequest(InferenceRequest request, RequestShape shape, int level, long enqueuedAt)
{
    private const int Queued = 0;
    private const int Left = 1;

    private readonly TaskCompletionSource<IReadOnlyList<Tensor>> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Guards `_cancellation`: the struct is set after registering and read when the _answer is set, possibly on another thread.
    private readonly Lock _registrationLock = new();
    private int _state;
    private ITimer? _timeout;
    private CancellationTokenRegistration _cancellation;

    public InferenceRequest Request { get; } = request;

    public RequestShape Shape { get; } = shape;

    public int Level { get; } = level;

    /// <summary><see cref="TimeProvider.GetTimestamp"/> at admission; the batch delay is measured from the oldest.</summary>
    public long EnqueuedAt { get; } = enqueuedAt;

    /// <summary>Timestamp by which the request must be answered (<see cref="EnqueuedAt"/> + its queue timeout); <see cref="long.MaxValue"/> without a timeout.</summary>
    public long Deadline { get; init; } = long.MaxValue;

    /// <summary>Timestamp at which the loop put the request in a batch (before the batch starts, so no race).</summary>
    public long LeftQueueAt { get; set; }

    /// <summary>The caller's span, parent of the queue and batch spans (default when nobody traces).</summary>
    public ActivityContext Caller { get; init; }

    /// <summary>Only the dispatcher (the loop or the delay timer, under the batcher's dispatch lock) reads or writes this.</summary>
    public LinkedListNode<QueuedRequest>? Node { get; set; }

    public Task<IReadOnlyList<Tensor>> Answer => _answer.Task;

    public bool IsQueued => Volatile.Read(ref _state) == Queued;

    public bool IsAnswered => _answer.Task.IsCompleted;

    /// <summary>Attach before arming the timer, so that whoever takes the request out of the queue can stop it.</summary>
    public void AttachTimeout(ITimer timer) => _timeout = timer;

    /// <summary>The token may already have fired (and answered the request); then the registration is dropped at once.</summary>
    public void AttachCancellation(CancellationTokenRegistration registration)
    {
        lock (_registrationLock)
        {
            _cancellation = registration;
        }

        if (IsAnswered)
        {
            Release();
        }
    }

    /// <summary>True for exactly one caller; it also stops the _timeout timer, which only matters while queued.</summary>
    public bool TryLeaveQueue()
    {
        if (Interlocked.CompareExchange(ref _state, Left, Queued) != Queued)
        {
            return false;
        }

        _timeout?.Dispose();
        return true;
    }

    public bool TrySucceed(IReadOnlyList<Tensor> outputs)
    {
        var won = _answer.TrySetResult(outputs);
        Release();
        return won;
    }

    public bool TryFail(Exception error)
    {
        var won = _answer.TrySetException(error);
        Release();
        return won;
    }

    public bool TryCancel(CancellationToken token)
    {
        var won = _answer.TrySetCanceled(token);
        Release();
        return won;
    }

    // Unregister does not wait for a running callback, so this is safe from inside the _cancellation callback too.
    private void Release()
    {
        lock (_registrationLock)
        {
            _cancellation.Unregister();
        }
    }
}

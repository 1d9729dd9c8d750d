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

    // 1 once an answerer has won (TryClaimAnswer); the answer itself is set just after.
    private int _claimed;

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

    public bool IsAnswered => Volatile.Read(ref _claimed) != 0;

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

    /// <summary>
    /// True for exactly one answerer; the winner then calls <see cref="Succeed"/> or <see cref="Fail"/>. Lets it count
    /// the answer in the statistics before publishing it, so whoever sees an answer also sees it counted.
    /// </summary>
    public bool TryClaimAnswer() => Interlocked.Exchange(ref _claimed, 1) == 0;

    public void Succeed(IReadOnlyList<Tensor> outputs)
    {
        _answer.SetResult(outputs);
        Release();
    }

    public void Fail(Exception error)
    {
        _answer.SetException(error);
        Release();
    }

    public bool TryFail(Exception error)
    {
        if (!TryClaimAnswer())
        {
            return false;
        }

        Fail(error);
        return true;
    }

    public bool TryCancel(CancellationToken token)
    {
        if (!TryClaimAnswer())
        {
            return false;
        }

        _answer.SetCanceled(token);
        Release();
        return true;
    }

    /// <summary>The rows of <paramref name="members"/> together (a batch's size).</summary>
    public static long Rows(IReadOnlyList<QueuedRequest> members)
    {
        long rows = 0;
        for (var m = 0; m < members.Count; m++)
        {
            rows += members[m].Shape.Rows;
        }

        return rows;
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

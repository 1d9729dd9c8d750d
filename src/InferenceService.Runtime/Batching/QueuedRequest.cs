using System.Diagnostics;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Batching;

/// <summary>
/// One waiting request and its answer. It leaves the queue exactly once, through <see cref="TryLeaveQueue"/>: to a batch
/// (the loop), or by timeout, cancellation or shutdown; the winner of that race does the bookkeeping.
/// The answer is set with TrySet*, so a result that arrives after a cancellation is simply dropped.
/// </summary>
internal sealed class QueuedRequest(InferenceRequest request, RequestShape shape, int level, long enqueuedAt)
{
    private const int Queued = 0;
    private const int Left = 1;

    private readonly TaskCompletionSource<IReadOnlyList<Tensor>> answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Guards `cancellation`: the struct is set after registering and read when the answer is set, possibly on another thread.
    private readonly Lock registrationLock = new();
    private int state;
    private ITimer? timeout;
    private CancellationTokenRegistration cancellation;

    public InferenceRequest Request { get; } = request;

    public RequestShape Shape { get; } = shape;

    public int Level { get; } = level;

    /// <summary><see cref="TimeProvider.GetTimestamp"/> at admission; the batch delay is measured from the oldest.</summary>
    public long EnqueuedAt { get; } = enqueuedAt;

    /// <summary>Timestamp at which the loop put the request in a batch (before the batch starts, so no race).</summary>
    public long LeftQueueAt { get; set; }

    /// <summary>The caller's span, parent of the queue and batch spans (default when nobody traces).</summary>
    public ActivityContext Caller { get; init; }

    /// <summary>Only the scheduler loop reads or writes this.</summary>
    public LinkedListNode<QueuedRequest>? Node { get; set; }

    public Task<IReadOnlyList<Tensor>> Answer => answer.Task;

    public bool IsQueued => Volatile.Read(ref state) == Queued;

    public bool IsAnswered => answer.Task.IsCompleted;

    /// <summary>Attach before arming the timer, so that whoever takes the request out of the queue can stop it.</summary>
    public void AttachTimeout(ITimer timer) => timeout = timer;

    /// <summary>The token may already have fired (and answered the request); then the registration is dropped at once.</summary>
    public void AttachCancellation(CancellationTokenRegistration registration)
    {
        lock (registrationLock)
        {
            cancellation = registration;
        }

        if (IsAnswered)
        {
            Release();
        }
    }

    /// <summary>True for exactly one caller; it also stops the timeout timer, which only matters while queued.</summary>
    public bool TryLeaveQueue()
    {
        if (Interlocked.CompareExchange(ref state, Left, Queued) != Queued)
        {
            return false;
        }

        timeout?.Dispose();
        return true;
    }

    public bool TrySucceed(IReadOnlyList<Tensor> outputs)
    {
        var won = answer.TrySetResult(outputs);
        Release();
        return won;
    }

    public bool TryFail(Exception error)
    {
        var won = answer.TrySetException(error);
        Release();
        return won;
    }

    public bool TryCancel(CancellationToken token)
    {
        var won = answer.TrySetCanceled(token);
        Release();
        return won;
    }

    // Unregister does not wait for a running callback, so this is safe from inside the cancellation callback too.
    private void Release()
    {
        lock (registrationLock)
        {
            cancellation.Unregister();
        }
    }
}

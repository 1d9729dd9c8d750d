using InferenceService.Runtime.Batching;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>
/// Lets a test wait until the batcher's loop has read a number of requests and gone to sleep, to assert what it did not
/// do; and hold the loop's reads while a burst is queued, so that it reads the whole burst in one pass.
/// </summary>
internal sealed class LoopWatcher
{
    // Held while registering and while completing waiters: a waiter registered before an idle is never missed.
    private readonly Lock _gate = new();
    private readonly List<(long Received, bool Quiet, TaskCompletionSource<long> Done)> _waiters = [];
    private (long Received, long Dispatched, int Running) _last = (-1, 0, 0);
    private TaskCompletionSource _reads = Opened();

    public LoopWatcher(DynamicBatcher batcher)
    {
        batcher.LoopIdle = OnIdle;
        batcher.BeforeRead = () => Volatile.Read(ref _reads).Task;
    }

    /// <summary>Register before the action that makes the loop read the requests; completes with the batches dispatched so far.</summary>
    public Task<long> WhenIdleAfter(long received) => Register(received, quiet: false);

    /// <summary>
    /// Completes once the loop has read <paramref name="received"/> requests and gone to sleep with no batch running:
    /// after that only a new request wakes it. Already true when the last sleep was such.
    /// </summary>
    public Task<long> WhenQuietAfter(long received) => Register(received, quiet: true);

    /// <summary>From now on the loop waits before reading new arrivals, until <see cref="ResumeReads"/>.</summary>
    public void PauseReads() => Volatile.Write(ref _reads, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void ResumeReads() => Volatile.Read(ref _reads).TrySetResult();

    private Task<long> Register(long received, bool quiet)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (quiet && _last.Received >= received && _last.Running == 0)
            {
                done.SetResult(_last.Dispatched);
            }
            else
            {
                _waiters.Add((received, quiet, done));
            }
        }

        return done.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private void OnIdle(long received, long dispatched, int running)
    {
        lock (_gate)
        {
            _last = (received, dispatched, running);
            _waiters.RemoveAll(w => w.Received <= received && (!w.Quiet || running == 0) && w.Done.TrySetResult(dispatched));
        }
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}

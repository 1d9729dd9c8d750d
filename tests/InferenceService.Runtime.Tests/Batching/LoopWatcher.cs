using InferenceService.Runtime.Batching;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>Lets a test wait until the batcher's loop has read a number of requests and gone to sleep, to assert what it did not do.</summary>
internal sealed class LoopWatcher
{
    // Held while registering and while completing waiters: a waiter registered before an idle is never missed.
    private readonly Lock _gate = new();
    private readonly List<(long Received, TaskCompletionSource<long> Done)> _waiters = [];

    public LoopWatcher(DynamicBatcher batcher) => batcher.LoopIdle = OnIdle;

    /// <summary>Register before the action that makes the loop read the requests; completes with the batches dispatched so far.</summary>
    public Task<long> WhenIdleAfter(long received)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((received, done));
        }

        return done.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private void OnIdle(long received, long dispatched)
    {
        lock (_gate)
        {
            _waiters.RemoveAll(w => w.Received <= received && w.Done.TrySetResult(dispatched));
        }
    }
}

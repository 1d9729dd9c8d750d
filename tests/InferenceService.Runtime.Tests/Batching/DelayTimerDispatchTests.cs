using InferenceService.Runtime.Batching;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>
/// A batch that waits for max_queue_delay leaves from the delay timer's own callback: when
/// <see cref="FakeTimeProvider.Advance"/> (which fires the timer on the calling thread) returns, the executor has already
/// been called, so no thread hop lies between the timer and the run. Triton's rules hold: the delay runs from the
/// oldest member, later arrivals join it, the next batch gets its own delay, and a busy instance holds a due batch.
/// </summary>
public sealed class DelayTimerDispatchTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task LoneRequest_DelayOver_ExecutorCalledBeforeTheTimerCallbackReturns()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig { MaxQueueDelayMicroseconds = 1000 });
        var watcher = new LoopWatcher(batcher);

        var idle = watcher.WhenIdleAfter(1);
        var request = TextModel.Request(1, 4);
        var answer = batcher.InferAsync(request, CancellationToken.None);
        Assert.Equal(0, await idle);
        time.Advance(TimeSpan.FromMicroseconds(999));
        Assert.Empty(executor.Calls);

        // No await between the timer firing and this check: the run started inside the timer's callback.
        time.Advance(TimeSpan.FromMicroseconds(1));
        Assert.Single(executor.Calls);
        TensorAssert.Equal(TextModel.Unbatched(request), await answer.WaitAsync(Bound));
    }

    [Fact]
    public async Task ArrivalDuringDelay_LeavesWithTheOldestOnItsTimer_NextArrivalWaitsItsOwnDelay()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig { MaxQueueDelayMicroseconds = 1000 });
        var watcher = new LoopWatcher(batcher);

        var idle = watcher.WhenIdleAfter(1);
        var first = batcher.InferAsync(TextModel.Request(1, 4), CancellationToken.None);
        Assert.Equal(0, await idle);
        time.Advance(TimeSpan.FromMicroseconds(400));
        idle = watcher.WhenIdleAfter(2);
        var second = batcher.InferAsync(TextModel.Request(2, 4), CancellationToken.None);
        Assert.Equal(0, await idle);
        time.Advance(TimeSpan.FromMicroseconds(599));
        Assert.Empty(executor.Calls);
        time.Advance(TimeSpan.FromMicroseconds(1));
        Assert.Equal(2, Assert.Single(executor.Calls).Rows);
        await Task.WhenAll(first, second).WaitAsync(Bound);

        // The timer was re-armed for nobody; a new arrival starts its own 1000 µs.
        idle = watcher.WhenQuietAfter(3);
        var third = batcher.InferAsync(TextModel.Request(3, 4), CancellationToken.None);
        Assert.Equal(1, await idle);
        time.Advance(TimeSpan.FromMicroseconds(999));
        Assert.Single(executor.Calls);
        time.Advance(TimeSpan.FromMicroseconds(1));
        Assert.Equal(2, executor.Calls.Count);
        Assert.Equal([3], executor.Calls[1].Ids.Select(TextModel.MarkerOf).Distinct());
        await third.WaitAsync(Bound);
    }

    [Fact]
    public async Task InstanceBusyWhenDelayEnds_BatchWaitsForTheInstanceThenLeavesAtOnce()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig { MaxQueueDelayMicroseconds = 1000 });
        var watcher = new LoopWatcher(batcher);

        var idle = watcher.WhenIdleAfter(1);
        var first = batcher.InferAsync(TextModel.Request(1, 4), CancellationToken.None);
        await idle;
        time.Advance(TimeSpan.FromMicroseconds(1000));
        Assert.Single(executor.Calls);

        idle = watcher.WhenIdleAfter(3);
        var later = new[] { batcher.InferAsync(TextModel.Request(2, 4), default), batcher.InferAsync(TextModel.Request(3, 4), default) };
        Assert.Equal(1, await idle);
        time.Advance(TimeSpan.FromMicroseconds(5000));
        Assert.Single(executor.Calls);

        // The instance frees: both waited past the delay, so they leave together at once, no new delay.
        executor.Open();
        await executor.WaitForCallsAsync(2);
        Assert.Equal(2, executor.Calls[1].Rows);
        await Task.WhenAll([first, .. later]).WaitAsync(Bound);
    }
}

using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>
/// The default policy (no max_queue_delay_microseconds, as every shipped config): an idle instance takes a lone request
/// at once; while it is busy requests accumulate and leave together when it frees; priorities and timeouts still hold.
/// No test moves time except to fire a timeout: every dispatch here happens with the clock standing still.
/// </summary>
public sealed class WorkConservingBatchingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task InferAsync_IdleInstance_LoneRequestRunsAtOnceWithoutTimeMoving()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig());
        var request = TextModel.Request(1, 4);

        var answer = await batcher.InferAsync(request, default).WaitAsync(Bound);

        Assert.Equal([1L], executor.Calls.Select(c => c.Rows));
        TensorAssert.Equal(TextModel.Unbatched(request), answer);
        Assert.Equal(0, batcher.GetStatistics().Queue.Ns);
    }

    [Fact]
    public async Task InferAsync_BusyInstance_ArrivalsAccumulateAndLeaveTogetherWhenItFrees()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig());
        var watcher = new LoopWatcher(batcher);
        var first = batcher.InferAsync(TextModel.Request(1, 4), default);
        await executor.WaitForCallsAsync(1);

        var idle = watcher.WhenIdleAfter(6);
        var requests = Enumerable.Range(2, 5).Select(i => TextModel.Request(i, 4)).ToList();
        var answers = requests.Select(r => batcher.InferAsync(r, default)).ToList();
        Assert.Equal(1, await idle);
        executor.Open();
        var results = await Task.WhenAll(answers).WaitAsync(Bound);
        await first.WaitAsync(Bound);

        Assert.Equal([1L, 5], executor.Calls.Select(c => c.Rows));
        for (var i = 0; i < requests.Count; i++)
        {
            TensorAssert.Equal(TextModel.Unbatched(requests[i]), results[i]);
        }
    }

    [Fact]
    public async Task InferAsync_BusyInstanceWithPriorities_HigherLevelLeavesFirstWhenItFrees()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        var config = new DynamicBatchingConfig { PriorityLevels = 2, DefaultPriorityLevel = 2 };
        await using var batcher = TextModel.Batcher(executor, time, config, maxBatchSize: 2);
        var watcher = new LoopWatcher(batcher);
        var busy = batcher.InferAsync(TextModel.Request(1, 4), default);
        await executor.WaitForCallsAsync(1);

        var idle = watcher.WhenIdleAfter(4);
        var low = batcher.InferAsync(TextModel.Request(2, 4), default);
        var lowToo = batcher.InferAsync(TextModel.Request(3, 4), default);
        var high = batcher.InferAsync(TextModel.Request(4, 4, priority: 1), default);
        await idle;
        executor.Open();
        await Task.WhenAll(busy, low, lowToo, high).WaitAsync(Bound);

        // The instance frees once: the high one and the oldest low one leave together (cap 2), then the other.
        Assert.Equal([[1L], [4, 2], [3]], executor.Calls.Select(c => c.Ids.Select(TextModel.MarkerOf).Distinct().ToArray()));
    }

    [Fact]
    public async Task InferAsync_BusyInstance_QueuedRequestTimesOutAtItsOwnTimeAndTheRestStillRun()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig());
        var busy = batcher.InferAsync(TextModel.Request(1, 4), default);
        await executor.WaitForCallsAsync(1);
        var patient = batcher.InferAsync(TextModel.Request(2, 4), default);
        var hasty = batcher.InferAsync(TextModel.Request(3, 4, timeout: TimeSpan.FromMilliseconds(5)), default);

        time.Advance(TimeSpan.FromMilliseconds(5));

        var error = await Assert.ThrowsAsync<InferenceException>(() => hasty.WaitAsync(Bound));
        Assert.Equal(InferenceErrorKind.Timeout, error.Kind);
        executor.Open();
        await Task.WhenAll(busy, patient).WaitAsync(Bound);
        Assert.Equal([[1L], [2]], executor.Calls.Select(c => c.Ids.Select(TextModel.MarkerOf).Distinct().ToArray()));
    }
}

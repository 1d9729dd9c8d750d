using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>Queue policy: delay, preferred sizes, timeouts, priorities, queue size, instances. Time is a <see cref="FakeTimeProvider"/>.</summary>
public sealed class DynamicBatcherQueueTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task InferAsync_PartialBatch_DispatchesWhenOldestRequestHasWaitedMaxDelay()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig { MaxQueueDelayMicroseconds = 100 });
        var watcher = new LoopWatcher(batcher);

        var firstIdle = watcher.WhenIdleAfter(1);
        var first = batcher.InferAsync(TextModel.Request(1, 4), CancellationToken.None);
        Assert.Equal(0, await firstIdle);
        time.Advance(TimeSpan.FromMicroseconds(60));
        var secondIdle = watcher.WhenIdleAfter(2);
        var second = batcher.InferAsync(TextModel.Request(2, 4), CancellationToken.None);
        Assert.Equal(0, await secondIdle);
        time.Advance(TimeSpan.FromMicroseconds(39));
        Assert.Empty(executor.Calls);

        // 100 µs after the first request, not after the second.
        time.Advance(TimeSpan.FromMicroseconds(1));
        await Task.WhenAll(first, second).WaitAsync(Bound);

        var call = Assert.Single(executor.Calls);
        Assert.Equal(2, call.Rows);
    }

    [Fact]
    public async Task InferAsync_PreferredSizeFormed_DispatchesWithoutWaitingForDelay()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig { PreferredBatchSizes = [3], MaxQueueDelayMicroseconds = 1_000_000 });
        var watcher = new LoopWatcher(batcher);

        var idle = watcher.WhenIdleAfter(2);
        var early = new[] { batcher.InferAsync(TextModel.Request(1, 4), default), batcher.InferAsync(TextModel.Request(2, 4), default) };
        Assert.Equal(0, await idle);
        var third = batcher.InferAsync(TextModel.Request(3, 4), default);
        await Task.WhenAll([.. early, third]).WaitAsync(Bound);

        var call = Assert.Single(executor.Calls);
        Assert.Equal(3, call.Rows);
    }

    [Fact]
    public async Task InferAsync_MaxBatchSizeQueued_DispatchesWithoutWaitingForDelay()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig { MaxQueueDelayMicroseconds = 1_000_000 }, maxBatchSize: 4);

        var answers = Enumerable.Range(1, 4).Select(i => batcher.InferAsync(TextModel.Request(i, 4), default)).ToList();
        await Task.WhenAll(answers).WaitAsync(Bound);

        var call = Assert.Single(executor.Calls);
        Assert.Equal(4, call.Rows);
    }

    [Fact]
    public async Task InferAsync_QueuedPastTimeout_FailsWithTimeoutWhenItsTimerFires()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig { DefaultTimeoutMicroseconds = 5_000 });
        var busy = batcher.InferAsync(TextModel.Request(1, 4), default);
        await executor.WaitForCallsAsync(1);

        var waiting = batcher.InferAsync(TextModel.Request(2, 4), default);
        time.Advance(TimeSpan.FromMilliseconds(5));

        // Answered by its timer while the only instance is still busy, not when the instance frees.
        Assert.True(waiting.IsFaulted);
        var error = await Assert.ThrowsAsync<InferenceException>(() => waiting);
        Assert.Equal(InferenceErrorKind.Timeout, error.Kind);
        Assert.False(busy.IsCompleted);
        executor.Open();
        await busy.WaitAsync(Bound);
        Assert.Single(executor.Calls);
    }

    [Fact]
    public async Task InferAsync_RequestTimeoutLongerThanDefault_DefaultStillApplies()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig { DefaultTimeoutMicroseconds = 5_000 });
        _ = batcher.InferAsync(TextModel.Request(1, 4), default);
        await executor.WaitForCallsAsync(1);

        var waiting = batcher.InferAsync(TextModel.Request(2, 4, timeout: TimeSpan.FromSeconds(10)), default);
        time.Advance(TimeSpan.FromMilliseconds(5));

        Assert.Equal(InferenceErrorKind.Timeout, (await Assert.ThrowsAsync<InferenceException>(() => waiting)).Kind);
        executor.Open();
    }

    [Fact]
    public async Task InferAsync_RequestTimeoutShorterThanDefault_ExpiresAtItsOwnTime()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig { DefaultTimeoutMicroseconds = 5_000 });
        _ = batcher.InferAsync(TextModel.Request(1, 4), default);
        await executor.WaitForCallsAsync(1);

        var waiting = batcher.InferAsync(TextModel.Request(2, 4, timeout: TimeSpan.FromMilliseconds(1)), default);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(waiting.IsFaulted);
        executor.Open();
    }

    [Fact]
    public async Task InferAsync_HigherPriorityQueuedLater_RunsFirst()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        var config = new DynamicBatchingConfig { PriorityLevels = 2, DefaultPriorityLevel = 2 };
        await using var batcher = TextModel.Batcher(executor, time, config, maxBatchSize: 1);
        var watcher = new LoopWatcher(batcher);
        var busy = batcher.InferAsync(TextModel.Request(1, 4), default);
        await executor.WaitForCallsAsync(1);

        var idle = watcher.WhenIdleAfter(4);
        var low = batcher.InferAsync(TextModel.Request(2, 4), default);
        var lowToo = batcher.InferAsync(TextModel.Request(3, 4, priority: 2), default);
        var high = batcher.InferAsync(TextModel.Request(4, 4, priority: 1), default);
        await idle;
        executor.Open();
        await Task.WhenAll(busy, low, lowToo, high).WaitAsync(Bound);

        Assert.Equal([1L, 4, 2, 3], executor.Calls.Select(c => TextModel.MarkerOf(c.Ids[0])));
    }

    [Fact]
    public async Task InferAsync_QueueFull_RejectsAtOnceWithUnavailableAndRetryAfter()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig { MaxQueueSize = 2 }, maxBatchSize: 1);
        var busy = batcher.InferAsync(TextModel.Request(1, 4), default);
        await executor.WaitForCallsAsync(1);
        var queued = new[] { batcher.InferAsync(TextModel.Request(2, 4), default), batcher.InferAsync(TextModel.Request(3, 4), default) };

        var rejected = batcher.InferAsync(TextModel.Request(4, 4), default);

        Assert.True(rejected.IsFaulted);
        var error = await Assert.ThrowsAsync<InferenceException>(() => rejected);
        Assert.Equal(InferenceErrorKind.Unavailable, error.Kind);
        Assert.Equal(1, error.RetryAfterSeconds);
        executor.Open();
        await Task.WhenAll([busy, .. queued]).WaitAsync(Bound);
    }

    [Fact]
    public async Task InferAsync_TwoInstances_RunsTwoBatchesAtOnceAndNoMore()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor(instanceCount: 2);
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig(), maxBatchSize: 1);
        var watcher = new LoopWatcher(batcher);

        var idle = watcher.WhenIdleAfter(4);
        var answers = Enumerable.Range(1, 4).Select(i => batcher.InferAsync(TextModel.Request(i, 4), default)).ToList();
        Assert.Equal(2, await idle);
        await executor.WaitForCallsAsync(2);
        executor.Open();
        await Task.WhenAll(answers).WaitAsync(Bound);

        Assert.Equal(4, executor.Calls.Count);
        Assert.Equal(2, executor.MaxRunning);
    }

    [Fact]
    public async Task DisposeAsync_RequestsStillQueued_FailsThemAsUnavailableAndLetsRunningBatchFinish()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig(), maxBatchSize: 1);
        var running = batcher.InferAsync(TextModel.Request(1, 4), default);
        await executor.WaitForCallsAsync(1);
        var queued = batcher.InferAsync(TextModel.Request(2, 4), default);

        var disposal = batcher.DisposeAsync().AsTask();

        var error = await Assert.ThrowsAsync<InferenceException>(() => queued.WaitAsync(Bound));
        Assert.Equal(InferenceErrorKind.Unavailable, error.Kind);
        Assert.False(disposal.IsCompleted);
        executor.Open();
        await disposal.WaitAsync(Bound);
        await running.WaitAsync(Bound);
        var late = await Assert.ThrowsAsync<InferenceException>(() => batcher.InferAsync(TextModel.Request(3, 4), default));
        Assert.Equal(InferenceErrorKind.Unavailable, late.Kind);
    }

    [Fact]
    public async Task DisposeAsync_BatchStillRunningAfterDrainTimeout_CancelsItAndFailsItsRequestAsUnavailable()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig());
        var running = batcher.InferAsync(TextModel.Request(1, 4), default);
        await executor.WaitForCallsAsync(1);

        var disposal = batcher.DisposeAsync().AsTask();

        time.Advance(DynamicBatcher.DrainTimeout);

        await disposal.WaitAsync(Bound);
        var error = await Assert.ThrowsAsync<InferenceException>(() => running.WaitAsync(Bound));
        Assert.Equal(InferenceErrorKind.Unavailable, error.Kind);
    }
}

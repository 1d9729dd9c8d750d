using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>Cancellation, failure isolation and statistics.</summary>
public sealed class DynamicBatcherFailureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task InferAsync_CancelledWhileQueued_AnswersCanceledAndNeverRuns()
    {
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), new DynamicBatchingConfig());
        var busy = batcher.InferAsync(TextModel.Request(1, 4), default);
        await executor.WaitForCallsAsync(1);
        using var cancellation = new CancellationTokenSource();
        var cancelled = batcher.InferAsync(TextModel.Request(2, 4), cancellation.Token);
        var kept = batcher.InferAsync(TextModel.Request(3, 4), default);

        await cancellation.CancelAsync();

        Assert.True(cancelled.IsCanceled);
        executor.Open();
        await Task.WhenAll(busy, kept).WaitAsync(Bound);
        Assert.DoesNotContain(executor.Calls.SelectMany(c => c.Ids), id => TextModel.MarkerOf(id) == 2);
        Assert.Equal(1, batcher.GetStatistics().Fail.Count);
    }

    [Fact]
    public async Task InferAsync_CancelledWhileItsBatchRuns_AnswersCanceledAtOnceAndDropsTheResult()
    {
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), new DynamicBatchingConfig { PreferredBatchSizes = [2], MaxQueueDelayMicroseconds = 1_000_000 });
        using var cancellation = new CancellationTokenSource();
        var cancelled = batcher.InferAsync(TextModel.Request(1, 4), cancellation.Token);
        var kept = batcher.InferAsync(TextModel.Request(2, 4), default);
        await executor.WaitForCallsAsync(1);

        await cancellation.CancelAsync();

        Assert.True(cancelled.IsCanceled);
        executor.Open();
        TensorAssert.Equal(TextModel.Unbatched(TextModel.Request(2, 4)), await kept.WaitAsync(Bound));
        var stats = batcher.GetStatistics();
        Assert.Equal((1L, 1L), (stats.Success.Count, stats.Fail.Count));
    }

    [Fact]
    public async Task InferAsync_ExecutorFailsABatch_FailsOnlyThatBatchAndKeepsServing()
    {
        using var executor = new FakeTextExecutor { FailWhen = inputs => inputs[0].As<long>().Any(id => TextModel.MarkerOf(id) == 66) };
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), new DynamicBatchingConfig());
        var before = batcher.InferAsync(TextModel.Request(1, 4), default);
        await executor.WaitForCallsAsync(1);
        var poisoned = batcher.InferAsync(TextModel.Request(66, 4), default);
        var sameBatch = batcher.InferAsync(TextModel.Request(2, 4), default);
        executor.Release(2);
        await executor.WaitForCallsAsync(2);

        var error = await Assert.ThrowsAsync<InferenceException>(() => poisoned.WaitAsync(Bound));
        var neighbour = await Assert.ThrowsAsync<InferenceException>(() => sameBatch.WaitAsync(Bound));
        executor.Open();
        var after = await batcher.InferAsync(TextModel.Request(3, 4), default).WaitAsync(Bound);

        Assert.Equal(InferenceErrorKind.Backend, error.Kind);
        Assert.Contains("fake engine error", error.Message, StringComparison.Ordinal);
        Assert.Equal(InferenceErrorKind.Backend, neighbour.Kind);
        await before.WaitAsync(Bound);
        TensorAssert.Equal(TextModel.Unbatched(TextModel.Request(3, 4)), after);
    }

    [Fact]
    public async Task GetStatistics_AfterOneBatchOfThreeRequests_CountsItemsExecutionsAndSuccesses()
    {
        using var executor = new FakeTextExecutor();
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), new DynamicBatchingConfig { PreferredBatchSizes = [4], MaxQueueDelayMicroseconds = 1_000_000 });

        await Task.WhenAll(
            batcher.InferAsync(TextModel.Request(1, 4, rows: 2), default),
            batcher.InferAsync(TextModel.Request(2, 4), default),
            batcher.InferAsync(TextModel.Request(3, 4), default)).WaitAsync(Bound);

        var stats = batcher.GetStatistics();
        Assert.Equal(4, stats.InferenceCount);
        Assert.Equal(1, stats.ExecutionCount);
        Assert.Equal(3, stats.Success.Count);
        Assert.Equal(0, stats.Fail.Count);
        Assert.Equal(3, stats.ComputeInfer.Count);
        var batch = Assert.Single(stats.BatchStats);
        Assert.Equal((4L, 1L), (batch.BatchSize, batch.ComputeInfer.Count));
    }
}

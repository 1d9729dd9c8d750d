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
    public async Task InferAsync_ExecutorFailsABatch_OnlyTheCulpritFailsAndTheBatcherKeepsServing()
    {
        using var executor = new FakeTextExecutor { FailWhen = inputs => inputs[0].As<long>().Any(id => TextModel.MarkerOf(id) == 66) };
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), new DynamicBatchingConfig());
        var before = batcher.InferAsync(TextModel.Request(1, 4), default);
        await executor.WaitForCallsAsync(1);
        var poisoned = batcher.InferAsync(TextModel.Request(66, 4), default);
        var sameBatch = batcher.InferAsync(TextModel.Request(2, 4), default);
        executor.Open();

        var error = await Assert.ThrowsAsync<InferenceException>(() => poisoned.WaitAsync(Bound));
        var neighbour = await sameBatch.WaitAsync(Bound);
        var after = await batcher.InferAsync(TextModel.Request(3, 4), default).WaitAsync(Bound);

        Assert.Equal(InferenceErrorKind.Backend, error.Kind);
        Assert.True(error.CausedByRequest);
        Assert.Contains("fake engine error", error.Message, StringComparison.Ordinal);
        TensorAssert.Equal(TextModel.Unbatched(TextModel.Request(2, 4)), neighbour);
        await before.WaitAsync(Bound);
        TensorAssert.Equal(TextModel.Unbatched(TextModel.Request(3, 4)), after);
    }

    [Theory]
    [InlineData(new long[] { 5 })]
    [InlineData(new long[] { 0, 7 })]
    [InlineData(new long[] { 2, 3, 11 })]
    public async Task InferAsync_PoisonedRequestsInABatchOfSixteen_OnlyTheyFailWithinTheRunBound(long[] poisoned)
    {
        var bad = poisoned.Select(p => p + 100).ToHashSet();
        using var executor = new FakeTextExecutor { FailWhen = inputs => inputs[0].As<long>().Any(id => bad.Contains(TextModel.MarkerOf(id))) };
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), new DynamicBatchingConfig { PreferredBatchSizes = [16], MaxQueueDelayMicroseconds = 1_000_000 }, maxBatchSize: 16);
        var requests = Enumerable.Range(0, 16).Select(i => TextModel.Request(100 + i, 3 + (i % 4))).ToList();
        var answers = requests.Select(r => batcher.InferAsync(r, default)).ToList();
        await executor.WaitForCallsAsync(1);
        executor.Open();

        for (var i = 0; i < 16; i++)
        {
            if (poisoned.Contains(i))
            {
                var error = await Assert.ThrowsAsync<InferenceException>(() => answers[i].WaitAsync(Bound));
                Assert.True(error.CausedByRequest, error.Message);
            }
            else
            {
                TensorAssert.Equal(TextModel.Unbatched(requests[i]), await answers[i].WaitAsync(Bound));
            }
        }

        // The first run, then at most 2·k·log2(16) re-runs to isolate k culprits.
        Assert.InRange(executor.Calls.Count, 2, 1 + (2 * poisoned.Length * 4));
        Assert.Equal(16 - poisoned.Length, batcher.GetStatistics().Success.Count);
    }

    [Fact]
    public async Task InferAsync_EveryRunFails_AllFailAndNoneIsBlamedOnItsData()
    {
        using var executor = new FakeTextExecutor { FailWhen = _ => true };
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), new DynamicBatchingConfig { PreferredBatchSizes = [4], MaxQueueDelayMicroseconds = 1_000_000 });
        var answers = Enumerable.Range(1, 4).Select(i => batcher.InferAsync(TextModel.Request(i, 4), default)).ToList();
        await executor.WaitForCallsAsync(1);
        executor.Open();

        foreach (var answer in answers)
        {
            var error = await Assert.ThrowsAsync<InferenceException>(() => answer.WaitAsync(Bound));
            Assert.False(error.CausedByRequest);
        }
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

using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>Shape rules: padding and slicing, length buckets, requests with their own batch, oversize requests.</summary>
public sealed class DynamicBatcherShapeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task InferAsync_DifferentLengthsInOneBatch_EachAnswerEqualsItsUnbatchedAnswer()
    {
        using var executor = new FakeTextExecutor();
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), new DynamicBatchingConfig { PreferredBatchSizes = [3], MaxQueueDelayMicroseconds = 1_000_000 });
        var requests = new[] { TextModel.Request(1, 3), TextModel.Request(2, 5), TextModel.Request(3, 2) };

        var answers = await Task.WhenAll(requests.Select(r => batcher.InferAsync(r, default))).WaitAsync(Bound);

        var call = Assert.Single(executor.Calls);
        Assert.Equal([3L, 5], call.Inputs[0].Shape);
        Assert.Equal([0L, 0], call.Inputs.Single(t => t.Name == "attention_mask").As<long>()[13..15]);
        for (var i = 0; i < requests.Length; i++)
        {
            TensorAssert.Equal(TextModel.Unbatched(requests[i]), answers[i]);
        }
    }

    [Fact]
    public async Task InferAsync_OutputSubsetsDiffer_EachGetsItsOwnOutputsInItsOrder()
    {
        using var executor = new FakeTextExecutor();
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), new DynamicBatchingConfig { PreferredBatchSizes = [2], MaxQueueDelayMicroseconds = 1_000_000 });
        var pooled = TextModel.Request(1, 3) with { Outputs = ["pooler_output"] };
        var both = TextModel.Request(2, 4) with { Outputs = ["pooler_output", "last_hidden_state"] };

        var answers = await Task.WhenAll(batcher.InferAsync(pooled, default), batcher.InferAsync(both, default)).WaitAsync(Bound);

        Assert.Single(executor.Calls);
        TensorAssert.Equal(TextModel.Unbatched(pooled), answers[0]);
        TensorAssert.Equal(TextModel.Unbatched(both), answers[1]);
    }

    [Fact]
    public async Task InferAsync_LengthsInDifferentBuckets_AreNotBatchedTogether()
    {
        using var executor = new FakeTextExecutor();
        var config = new DynamicBatchingConfig { PreferredBatchSizes = [2], MaxQueueDelayMicroseconds = 1_000_000, LengthBuckets = [8] };
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), config);

        var answers = new[]
        {
            batcher.InferAsync(TextModel.Request(1, 4), default),
            batcher.InferAsync(TextModel.Request(2, 12), default),
            batcher.InferAsync(TextModel.Request(3, 20), default),
            batcher.InferAsync(TextModel.Request(4, 6), default),
        };
        await Task.WhenAll(answers).WaitAsync(Bound);

        Assert.Equal(2, executor.Calls.Count);
        var markers = executor.Calls.Select(c => c.Ids.Where(id => id != 0).Select(TextModel.MarkerOf).Distinct().Order().ToArray()).OrderBy(m => m[0]).ToList();
        Assert.Equal([1L, 4], markers[0]);
        Assert.Equal([2L, 3], markers[1]);
    }

    [Fact]
    public async Task InferAsync_RequestsWithTheirOwnBatch_AreCombinedAndSplitBackByCount()
    {
        using var executor = new FakeTextExecutor();
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), new DynamicBatchingConfig { PreferredBatchSizes = [5], MaxQueueDelayMicroseconds = 1_000_000 });
        var two = TextModel.Request(1, 4, rows: 2);
        var three = TextModel.Request(2, 6, rows: 3);

        var answers = await Task.WhenAll(batcher.InferAsync(two, default), batcher.InferAsync(three, default)).WaitAsync(Bound);

        Assert.Equal(5, Assert.Single(executor.Calls).Rows);
        Assert.Equal(2, answers[0][0].Shape[0]);
        TensorAssert.Equal(TextModel.Unbatched(two), answers[0]);
        TensorAssert.Equal(TextModel.Unbatched(three), answers[1]);
    }

    [Fact]
    public async Task InferAsync_BatchLargerThanMaxBatchSize_RejectsWithBadRequest()
    {
        using var executor = new FakeTextExecutor();
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), new DynamicBatchingConfig(), maxBatchSize: 4);

        var error = await Assert.ThrowsAsync<InferenceException>(() => batcher.InferAsync(TextModel.Request(1, 4, rows: 5), default));

        Assert.Equal(InferenceErrorKind.BadRequest, error.Kind);
        Assert.Contains("max_batch_size", error.Message, StringComparison.Ordinal);
        Assert.Empty(executor.Calls);
    }
}

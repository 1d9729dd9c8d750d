using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>Admission before work: a request the batcher would refuse is told so before its body is read.</summary>
public sealed class DynamicBatcherAdmissionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task CheckAdmission_QueueFull_QueueFullWithRetryAfter()
    {
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), new DynamicBatchingConfig { MaxQueueSize = 2 }, maxBatchSize: 1);
        var running = batcher.InferAsync(TextModel.Request(1, 4), default);
        await executor.WaitForCallsAsync(1);
        var queued = new[] { batcher.InferAsync(TextModel.Request(2, 4), default), batcher.InferAsync(TextModel.Request(3, 4), default) };

        var refusal = batcher.CheckAdmission(timeout: null, admitted: 0);

        Assert.NotNull(refusal);
        Assert.Equal(InferenceErrorKind.Unavailable, refusal.Kind);
        Assert.Contains("queue is full", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(1, refusal.RetryAfterSeconds);
        executor.Open();
        await Task.WhenAll([running, .. queued]).WaitAsync(Bound);
        Assert.Null(batcher.CheckAdmission(timeout: null, admitted: 0));
    }

    [Fact]
    public async Task CheckAdmission_QueueAheadOutlastsTheTimeout_RefusedWhileALongerTimeoutIsAdmitted()
    {
        using var executor = new FakeTextExecutor();
        await using var batcher = await MeasuredAsync(executor);
        var running = batcher.InferAsync(TextModel.Request(2, 4), default);
        await executor.WaitForCallsAsync(2);
        var queued = Enumerable.Range(3, 5).Select(i => batcher.InferAsync(TextModel.Request(i, 4), default)).ToList();

        // Five queued at 100 ms each, then its own 100 ms batch: about 600 ms.
        var refusal = batcher.CheckAdmission(TimeSpan.FromMilliseconds(300), admitted: 0);
        var admitted = batcher.CheckAdmission(TimeSpan.FromSeconds(2), admitted: 0);

        Assert.NotNull(refusal);
        Assert.Equal(InferenceErrorKind.Unavailable, refusal.Kind);
        Assert.Contains("about 600 ms with the requests ahead, beyond this request's timeout of 300 ms", refusal.Message, StringComparison.Ordinal);
        Assert.Null(admitted);
        executor.Open();
        await Task.WhenAll([running, .. queued]).WaitAsync(Bound);
    }

    [Fact]
    public async Task CheckAdmission_AdmittedRequestsStillDecoding_CountAheadOfTheNewOne()
    {
        using var executor = new FakeTextExecutor();
        await using var batcher = await MeasuredAsync(executor);

        // Nothing queued, but six admitted requests (none running) are still reading their bodies: ~600 ms ahead, 700 ms in all.
        var refusal = batcher.CheckAdmission(TimeSpan.FromMilliseconds(300), admitted: 6);
        var admitted = batcher.CheckAdmission(TimeSpan.FromMilliseconds(300), admitted: 1);

        Assert.NotNull(refusal);
        Assert.Contains("about 700 ms", refusal.Message, StringComparison.Ordinal);
        Assert.Null(admitted);
    }

    [Fact]
    public async Task CheckAdmission_NothingMeasuredYet_AdmitsUpToTheQueueSize()
    {
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), new DynamicBatchingConfig { MaxQueueSize = 4 }, maxBatchSize: 1);
        var running = batcher.InferAsync(TextModel.Request(1, 4), default);
        await executor.WaitForCallsAsync(1);
        var queued = batcher.InferAsync(TextModel.Request(2, 4), default);

        Assert.Null(batcher.CheckAdmission(TimeSpan.FromMilliseconds(1), admitted: 0));
        executor.Open();
        await Task.WhenAll(running, queued).WaitAsync(Bound);
    }

    /// <summary>A batcher of batch size 1 whose one measured batch took 100 ms (fake time); later runs wait for the test.</summary>
    private static async Task<DynamicBatcher> MeasuredAsync(FakeTextExecutor executor)
    {
        var time = new FakeTimeProvider();
        executor.Hold();
        var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig(), maxBatchSize: 1);
        var first = batcher.InferAsync(TextModel.Request(1, 4), default);
        await executor.WaitForCallsAsync(1);
        time.Advance(TimeSpan.FromMilliseconds(100));
        executor.Release();
        await first.WaitAsync(Bound);
        return batcher;
    }
}

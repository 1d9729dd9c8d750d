using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>
/// Triton's timeout_action REJECT, answered as soon as it is certain: at dispatch, a queued request whose deadline falls
/// before the batch it would join could end is answered 504 at once, so every 200 finished within its timeout.
/// Fake time: each batch takes exactly 100 ms, as the test advances it.
/// </summary>
public sealed class DynamicBatcherDeadlineTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan BatchTime = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Dispatch_DeadlineBeforeTheBatchWouldEnd_Refused504BeforeItsTimerWhileTheOthersRunInTime()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig(), maxBatchSize: 2);
        var ends = new List<DateTimeOffset>();

        // One measured batch (100 ms), then a blocker holds the instance while ten requests queue at t = 100 ms:
        // even markers may wait 250 ms (deadline t = 350 ms), odd ones 2 s.
        var first = batcher.InferAsync(TextModel.Request(1, 4), default);
        await RunBatchAsync(executor, time, 1, ends);
        await first.WaitAsync(Bound);
        var blocker = batcher.InferAsync(TextModel.Request(2, 4), default);
        await executor.WaitForCallsAsync(2);
        var requests = Enumerable.Range(10, 10)
            .Select(m => TextModel.Request(m, 4, timeout: m % 2 == 0 ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(2)))
            .ToList();
        var answers = requests.Select(r => batcher.InferAsync(r, default)).ToList();

        // t = 200: [10, 11] runs (ends 300, within 350). t = 300: 12 and 14 have 50 ms left, less than a batch: refused
        // at once, before their timers (350) fire, instead of taking the batch's places; the odd ones run in two more batches.
        for (var call = 2; call <= 5; call++)
        {
            await RunBatchAsync(executor, time, call, ends);
        }

        await Task.WhenAll(answers.Select(a => a.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(Bound);
        await blocker.WaitAsync(Bound);

        var refused = answers.Select((a, i) => (Marker: 10 + i, Answer: a)).Where(x => x.Answer.IsFaulted).ToList();
        Assert.Equal([12, 14, 16, 18], refused.Select(r => r.Marker));
        foreach (var (marker, answer) in refused)
        {
            var error = Assert.IsType<InferenceException>(answer.Exception!.InnerException);
            Assert.Equal(InferenceErrorKind.Timeout, error.Kind);

            // 12 and 14 were among the members a batch was being formed from at t = 300; 16 and 18 were not looked at
            // before their own timers answered them at t = 350, with the same status.
            Assert.Contains(
                marker is 12 or 14 ? "waited 200 ms in the queue; a batch takes about 100 ms, so it could not finish within the request's timeout of 250 ms" : "timed out after 250 ms",
                error.Message,
                StringComparison.Ordinal);
        }

        // Everyone else got their own answer, in a batch that ended by their deadline.
        var ran = executor.Calls.Skip(2).Select(c => c.Ids.Select(TextModel.MarkerOf).Distinct().ToArray()).ToList();
        Assert.Equal([[10, 11], [13, 15], [17, 19]], ran);
        for (var i = 0; i < answers.Count; i++)
        {
            if (!answers[i].IsFaulted)
            {
                TensorAssert.Equal(TextModel.Unbatched(requests[i]), await answers[i]);
            }
        }

        var deadlines = ran.Select((markers, k) => (End: ends[k + 2], Markers: markers));
        Assert.All(deadlines, d => Assert.All(d.Markers, m => Assert.True(d.End <= ends[0] + requests[(int)m - 10].Timeout!.Value, $"{m} ended after its deadline")));
    }

    [Fact]
    public async Task Dispatch_TimeoutShorterThanABatch_RunsAsTritonRunsIt()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig(), maxBatchSize: 1);
        var ends = new List<DateTimeOffset>();
        var first = batcher.InferAsync(TextModel.Request(1, 4), default);
        await RunBatchAsync(executor, time, 1, ends);
        await first.WaitAsync(Bound);
        var blocker = batcher.InferAsync(TextModel.Request(2, 4), default);
        await executor.WaitForCallsAsync(2);
        var requests = new[] { TextModel.Request(10, 4, timeout: TimeSpan.FromMilliseconds(80)), TextModel.Request(11, 4, timeout: TimeSpan.FromMilliseconds(400)) };
        var answers = requests.Select(r => batcher.InferAsync(r, default)).ToList();

        // The blocker ends at t = 150 (a batch is now planned at about 105 ms). 10 has 30 ms left of 80: it could never
        // have made a batch, so it is not refused early (refusing it, and everything like it, would leave no batch to
        // correct the estimate): it runs as in Triton, its timer stopped once taken. 11 runs next and ends by its deadline.
        time.Advance(TimeSpan.FromMilliseconds(50));
        executor.Release();
        await RunBatchAsync(executor, time, 3, ends);
        await RunBatchAsync(executor, time, 4, ends);

        await blocker.WaitAsync(Bound);
        for (var i = 0; i < requests.Length; i++)
        {
            TensorAssert.Equal(TextModel.Unbatched(requests[i]), await answers[i].WaitAsync(Bound));
        }

        Assert.Equal([2, 10, 11], executor.Calls.Skip(1).Select(c => TextModel.MarkerOf(c.Ids[0])));
    }

    [Fact]
    public async Task Dispatch_BatchOfOne_WaitedTooLong_Refused()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig(), maxBatchSize: 1);
        var ends = new List<DateTimeOffset>();
        var first = batcher.InferAsync(TextModel.Request(1, 4), default);
        await RunBatchAsync(executor, time, 1, ends);
        await first.WaitAsync(Bound);
        var blocker = batcher.InferAsync(TextModel.Request(2, 4), default);
        await executor.WaitForCallsAsync(2);
        var late = batcher.InferAsync(TextModel.Request(10, 4, timeout: TimeSpan.FromMilliseconds(150)), default);

        // t = 200: 50 ms left of 150, alone in the queue: refused now, not run to end 50 ms after its deadline.
        await RunBatchAsync(executor, time, 2, ends);

        var error = await Assert.ThrowsAsync<InferenceException>(() => late.WaitAsync(Bound));
        Assert.Equal(InferenceErrorKind.Timeout, error.Kind);
        Assert.Contains("waited 100 ms in the queue", error.Message, StringComparison.Ordinal);
        await blocker.WaitAsync(Bound);
        Assert.Equal(2, executor.Calls.Count);
    }

    [Fact]
    public void Estimate_SpreadOfBatchTimes_PlansMeanPlusTwoDeviations()
    {
        var time = new FakeTimeProvider();
        var estimate = new QueueDrainEstimate(time);
        var ms = time.TimestampFrequency / 1000;
        Assert.Null(estimate.BatchTicks());

        estimate.Observe(requests: 2, ticks: 100 * ms);
        estimate.Observe(requests: 2, ticks: 200 * ms);

        // Mean 100 + 0.1 x (200 - 100) = 110 ms, mean deviation 0.1 x 100 = 10 ms: plan 130 ms per batch;
        // per request 50 + 0.1 x (100 - 50) = 55 ms. Three ahead on one instance, then its own batch: 165 + 130 ms.
        Assert.Equal(130 * ms, estimate.BatchTicks());
        Assert.Equal(TimeSpan.FromMilliseconds(295), estimate.Wait(ahead: 3, instances: 1));
    }

    /// <summary>Waits for run <paramref name="call"/> (1-based) to start, lets 100 ms pass and ends it; records the end time.</summary>
    private static async Task RunBatchAsync(FakeTextExecutor executor, FakeTimeProvider time, int call, List<DateTimeOffset> ends)
    {
        await executor.WaitForCallsAsync(call);
        time.Advance(BatchTime);
        ends.Add(time.GetUtcNow());
        executor.Release();
    }
}

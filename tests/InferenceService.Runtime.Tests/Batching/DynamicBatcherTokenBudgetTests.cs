using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;
using InferenceService.Runtime.Tests.Batching.LatencyTarget;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>
/// dynamic_batching.max_batch_tokens end to end: no run costs more than the budget (rows × padded length), the oldest
/// request goes first, padding is lower than first-in-first-out, priorities and timeouts hold, answers equal unbatched ones.
/// </summary>
public sealed class DynamicBatcherTokenBudgetTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task InferAsync_SeededMixedLengthsStaticPolicy_NoRunExceedsBudgetAndAnswersEqualUnbatched()
    {
        const long budget = 96;
        var config = new DynamicBatchingConfig { MaxBatchTokens = budget, LengthBuckets = [16], PriorityLevels = 2, DefaultPriorityLevel = 2 };
        using var executor = new FakeTextExecutor(instanceCount: 2);
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), config);
        var watcher = new LoopWatcher(batcher);
        var requests = MixedRequests(new Random(17), count: 300, maxLength: 32);

        // Queued in one pass while both instances are held, so that the queue is deep when batches form.
        executor.Hold();
        watcher.PauseReads();
        var idle = watcher.WhenIdleAfter(requests.Count);
        var answers = requests.Select(r => batcher.InferAsync(r, default)).ToList();
        watcher.ResumeReads();
        await idle;
        executor.Open();
        await Task.WhenAll(answers).WaitAsync(Bound);

        var calls = executor.Calls;
        Assert.All(calls, call => Assert.True(call.Rows * call.Inputs[0].Shape[1] <= budget, $"{call.Rows} rows × {call.Inputs[0].Shape[1]} > {budget}"));
        Assert.Equal(requests.Sum(r => r.Inputs[0].Shape[0]), calls.Sum(c => c.Rows));
        Assert.True(calls.Count < requests.Count * 3 / 4, $"{calls.Count} runs for {requests.Count} requests: batches hardly formed");
        for (var i = 0; i < requests.Count; i++)
        {
            TensorAssert.Equal(TextModel.Unbatched(requests[i]), await answers[i]);
        }
    }

    [Fact]
    public async Task InferAsync_SeededMixedLengthsLatencyTarget_NoRunExceedsBudgetAndAnswersEqualUnbatched()
    {
        const long budget = 64;
        await using var h = new LatencyTargetHarness(targetMs: 100, aMs: 10, bMs: 2, lengthBuckets: [16], maxBatchTokens: budget);
        await h.Batcher.Calibrated.WaitAsync(Bound);
        var calibrationRuns = h.Executor.Runs.Count;
        var requests = MixedRequests(new Random(23), count: 200, maxLength: 32);

        h.Executor.Hold();
        h.Watcher.PauseReads();
        var idle = h.Watcher.WhenIdleAfter(requests.Count);
        var answers = requests.Select(r => h.Batcher.InferAsync(r, default)).ToList();
        h.Watcher.ResumeReads();
        await idle;
        h.Executor.Open();

        // Runs advance the fake clock; a last partial batch may wait for its deadline, which only moving the clock reaches.
        var all = Task.WhenAll(answers);
        for (var i = 0; i < 1000 && !all.IsCompleted; i++)
        {
            _ = await Task.WhenAny(all, h.Watcher.WhenQuietAfter(requests.Count));
            h.Time.Advance(TimeSpan.FromMilliseconds(100));
        }

        await all.WaitAsync(Bound);
        var runs = h.Executor.Runs.Skip(calibrationRuns).ToList();
        Assert.All(runs, run => Assert.True(run.Rows * run.Length <= budget, $"{run.Rows} rows × {run.Length} > {budget}"));
        Assert.Equal(requests.Sum(r => r.Inputs[0].Shape[0]), runs.Sum(r => r.Rows));
        Assert.True(runs.Count < requests.Count * 3 / 4, $"{runs.Count} runs for {requests.Count} requests: batches hardly formed");
        for (var i = 0; i < requests.Count; i++)
        {
            TensorAssert.Equal(TextModel.Unbatched(requests[i]), await answers[i]);
        }
    }

    [Fact]
    public async Task InferAsync_LatencyTargetChoosesMoreThanBudgetAllows_BatchesStopAtTheBudget()
    {
        // a = 10, b = 2, target 100: the tuner would choose 17 (LatencyTargetBatchingTests); 16 tokens of length 4 allow 4.
        await using var h = new LatencyTargetHarness(targetMs: 100, aMs: 10, bMs: 2, maxBatchTokens: 16);
        await h.Batcher.Calibrated.WaitAsync(Bound);

        var sizes = await h.BurstAsync(20, length: 4);

        Assert.Equal([4, 4, 4, 4, 4], sizes);

        // Calibration is capped too: its length is 1 (no warm-up dims), so 16 rows at most instead of 32.
        Assert.Equal([1, 2, 4, 8, 16], h.Stats.CalibrationPoints.Select(p => p.BatchSize));
        Assert.Equal(17, h.Bucket.BatchSize);
    }

    [Fact]
    public async Task InferAsync_KnownMix_PadsLessThanFirstInFirstOut()
    {
        using var executor = new FakeTextExecutor();
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), new DynamicBatchingConfig { MaxBatchTokens = 32 });
        var lengths = new[] { 8, 2, 8, 2, 8, 2, 8, 2 };

        var answers = await QueueBehindBusyAsync(executor, batcher, lengths.Select((length, i) => TextModel.Request(i + 1, length)).ToList());

        // First in, first out under the same budget (TEI's queue: stop at the first request that does not fit) makes
        // [1 2 3 4] and [5 6 7 8], both padded to 8: 4·8 + 4·8 = 64 tokens for 40 real ones (24 of padding).
        // Padding-aware: the head (8) takes the other 8s, then the 2s go together: 4·8 + 4·2 = 40 tokens, no padding.
        var runs = executor.Calls.Skip(1).ToList();
        Assert.Equal([[1L, 3, 5, 7], [2L, 4, 6, 8]], runs.Select(Markers));
        Assert.Equal([[4L, 8], [4L, 2]], runs.Select(r => r.Inputs[0].Shape));
        Assert.Equal(40, runs.Sum(r => r.Rows * r.Inputs[0].Shape[1]));
        Assert.Equal(lengths.Length, answers.Count);
    }

    [Fact]
    public async Task InferAsync_OldestRequestLongest_GoesFirstAloneBeforeFullerBatchOfShorterOnes()
    {
        using var executor = new FakeTextExecutor();
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), new DynamicBatchingConfig { MaxBatchTokens = 32 });
        var requests = new[] { TextModel.Request(1, 20), TextModel.Request(2, 8), TextModel.Request(3, 8), TextModel.Request(4, 8), TextModel.Request(5, 8) };

        var answers = await QueueBehindBusyAsync(executor, batcher, requests);

        Assert.Equal([[1L], [2L, 3, 4, 5]], executor.Calls.Skip(1).Select(Markers));
        for (var i = 0; i < requests.Length; i++)
        {
            TensorAssert.Equal(TextModel.Unbatched(requests[i]), answers[i]);
        }
    }

    [Fact]
    public async Task InferAsync_HigherPriorityRequestTooLongToJoin_LowerPriorityDoesNotOvertakeIt()
    {
        using var executor = new FakeTextExecutor();
        var config = new DynamicBatchingConfig { MaxBatchTokens = 32, PriorityLevels = 2, DefaultPriorityLevel = 2 };
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), config);
        var requests = new[] { TextModel.Request(1, 4, priority: 1), TextModel.Request(2, 30, priority: 1), TextModel.Request(3, 4, priority: 2) };

        _ = await QueueBehindBusyAsync(executor, batcher, requests);

        // 3 would fit with 1 (2 × 4 = 8), but 2 (priority 1) could not (2 × 30 = 60 > 32) and must not be overtaken.
        Assert.Equal([[1L], [2L], [3L]], executor.Calls.Skip(1).Select(Markers));
    }

    [Fact]
    public async Task InferAsync_QueuedPastTimeoutUnderBudget_FailsWithTimeoutAndIsLeftOutOfTheBatch()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig { MaxBatchTokens = 32 });
        var busy = batcher.InferAsync(TextModel.Request(9, 4), default);
        await executor.WaitForCallsAsync(1);

        var expiring = batcher.InferAsync(TextModel.Request(1, 8, timeout: TimeSpan.FromMilliseconds(1)), default);
        var staying = batcher.InferAsync(TextModel.Request(2, 8), default);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(InferenceErrorKind.Timeout, (await Assert.ThrowsAsync<InferenceException>(() => expiring)).Kind);
        executor.Open();
        await Task.WhenAll(busy, staying).WaitAsync(Bound);
        Assert.Equal([[9L], [2L]], executor.Calls.Select(Markers));
    }

    [Theory]
    [InlineData(1, 40)]
    [InlineData(2, 20)]
    public async Task InferAsync_RequestCostsMoreThanBudgetAlone_RejectsWithBadRequestNamingTheKnob(int rows, int length)
    {
        using var executor = new FakeTextExecutor();
        await using var batcher = TextModel.Batcher(executor, new FakeTimeProvider(), new DynamicBatchingConfig { MaxBatchTokens = 32 });

        var error = await Assert.ThrowsAsync<InferenceException>(() => batcher.InferAsync(TextModel.Request(1, length, rows), default));

        Assert.Equal(InferenceErrorKind.BadRequest, error.Kind);
        Assert.Contains($"{rows} rows × {length} = {rows * length} exceeds dynamic_batching.max_batch_tokens 32", error.Message, StringComparison.Ordinal);
        Assert.Empty(executor.Calls);
    }

    /// <summary>Seeded lengths 1..<paramref name="maxLength"/>, 1 or 2 rows, priority 1 or 2 (every one fits a budget of 2 × maxLength alone).</summary>
    private static List<InferenceRequest> MixedRequests(Random random, int count, int maxLength) =>
        Enumerable.Range(1, count).Select(i => TextModel.Request(i, random.Next(1, maxLength + 1), rows: random.Next(1, 3), priority: random.Next(1, 3))).ToList();

    /// <summary>Queues <paramref name="requests"/> while a busy request holds the only instance, then lets everything run.</summary>
    private static async Task<List<IReadOnlyList<Tensor>>> QueueBehindBusyAsync(FakeTextExecutor executor, DynamicBatcher batcher, IReadOnlyList<InferenceRequest> requests)
    {
        var watcher = new LoopWatcher(batcher);
        executor.Hold();
        var busy = batcher.InferAsync(TextModel.Request(99, 1), default);
        await executor.WaitForCallsAsync(1);
        var idle = watcher.WhenIdleAfter(1 + requests.Count);
        var answers = requests.Select(r => batcher.InferAsync(r, default)).ToList();
        await idle;
        executor.Open();
        await busy.WaitAsync(Bound);
        return [.. await Task.WhenAll(answers).WaitAsync(Bound)];
    }

    private static long[] Markers(ExecutorCall call) => call.Ids.Where(id => id != 0).Select(TextModel.MarkerOf).Distinct().ToArray();
}

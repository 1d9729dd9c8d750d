using InferenceService.Runtime.Batching.LatencyTarget;
using Xunit.Abstractions;

namespace InferenceService.Runtime.Tests.Batching.LatencyTarget;

/// <summary>
/// latency_target_ms end to end on a known cost curve: one instance, a batch of n costs a + b·n ms of fake time,
/// target 100 ms, so the plan is 0.9 · 100 = 90 ms. Hand calculation for a saturated queue (a batch collects while
/// the previous one runs, so the oldest request sees 2·T(n)): the largest n with 2·(a + b·n) ≤ 90.
/// </summary>
public sealed class LatencyTargetBatchingTests(ITestOutputHelper output)
{
    private const double Target = 100;

    [Fact]
    public async Task Calibration_KnownCostCurve_FitsAAndBAndChoosesHandCalculatedSize()
    {
        await using var h = new LatencyTargetHarness(Target, aMs: 10, bMs: 2);

        await h.Batcher.Calibrated.WaitAsync(LatencyTargetHarness.Bound);

        var stats = h.Stats;
        Assert.Equal("done", stats.Calibration);
        Assert.Equal([1, 2, 4, 8, 16, 32], stats.CalibrationPoints.Select(p => p.BatchSize));
        Assert.Equal([12.0, 14, 18, 26, 42, 74], stats.CalibrationPoints.Select(p => p.Ms));
        Assert.Equal(3 * 6, h.Executor.Sizes.Count);
        Assert.Null(stats.Warning);
        var bucket = h.Bucket;
        Assert.Equal(10, bucket.AMs, 6);
        Assert.Equal(2, bucket.BMs, 6);

        // 2·(10 + 2n) ≤ 90 → n ≤ 17.5; a lone request may wait 90 − T(1) = 78 ms.
        Assert.Equal(17, bucket.BatchSize);
        Assert.Equal(78, bucket.WaitMs, 6);
    }

    [Fact]
    public async Task InferAsync_SaturatedQueue_DispatchesAtHandCalculatedSize()
    {
        await using var h = new LatencyTargetHarness(Target, aMs: 10, bMs: 2);
        await h.Batcher.Calibrated.WaitAsync(LatencyTargetHarness.Bound);

        var sizes = await h.BurstAsync(40);

        // 17 and 17 (each leaves requests behind), then the 6 left, whose oldest has waited 88 ms > 90 − T(6) = 68 ms.
        Assert.Equal([17, 17, 6], sizes);
        Assert.Equal("deadline", h.Stats.LastDecision!.Reason);
    }

    [Fact]
    public async Task InferAsync_FirstLoneRequest_WaitsPlanMinusItsCostThenDispatches()
    {
        await using var h = new LatencyTargetHarness(Target, aMs: 10, bMs: 2);
        await h.Batcher.Calibrated.WaitAsync(LatencyTargetHarness.Bound);
        var calibrationRuns = h.Executor.Sizes.Count;

        var answer = await h.SendOneAsync();
        h.Time.Advance(TimeSpan.FromMilliseconds(78) - TimeSpan.FromTicks(1));
        Assert.Equal(calibrationRuns, h.Executor.Sizes.Count);
        h.Time.Advance(TimeSpan.FromTicks(1));
        await answer.WaitAsync(LatencyTargetHarness.Bound);

        // The bucket's first request: no arrival rate yet, so it waits as planned. Waited 78 ms, ran 12 ms: exactly the 90 ms plan.
        Assert.Equal(90, h.Stats.ObservedP99Ms!.Value, 6);
        Assert.Equal("deadline", h.Stats.LastDecision!.Reason);
    }

    [Fact]
    public async Task InferAsync_LoneRequestsAtLowArrivalRate_DispatchedAtOnce()
    {
        await using var h = new LatencyTargetHarness(Target, aMs: 10, bMs: 2);
        await h.Batcher.Calibrated.WaitAsync(LatencyTargetHarness.Bound);
        var first = await h.SendOneAsync();
        h.Time.Advance(TimeSpan.FromMilliseconds(78));
        await first.WaitAsync(LatencyTargetHarness.Bound);

        for (var i = 0; i < 3; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(1));
            var answer = await h.SendOneAsync();

            // The test moves no time: only a dispatch at once answers it. One request a second keeps a batch of 1
            // (12 ms) busy 1.2 % of the time, far under KeepUpUtilisation: waiting 78 ms for company would buy nothing.
            await answer.WaitAsync(LatencyTargetHarness.Bound);
            Assert.Equal("keep-up", h.Stats.LastDecision!.Reason);
            Assert.Equal(0, h.Stats.LastDecision.WaitedMs);
        }

        Assert.Equal(0, h.Bucket.WaitMs);
        Assert.InRange(h.Bucket.ArrivalGapMs!.Value, 1000, 1100);
    }

    [Fact]
    public async Task InferAsync_ArrivalsTooSparseToGrowBatchBeforeDeadline_DispatchesOneGapEarly()
    {
        await using var h = new LatencyTargetHarness(Target, aMs: 10, bMs: 2);
        await h.Batcher.Calibrated.WaitAsync(LatencyTargetHarness.Bound);

        // Two requests 12 ms apart: one gap measured (12 ms); 14 ms per batch of 2 is within 0.75 × 2 × 12, so they go.
        var first = await h.SendOneAsync();
        h.Time.Advance(TimeSpan.FromMilliseconds(12));
        var second = await h.SendOneAsync();
        await Task.WhenAll(first, second).WaitAsync(LatencyTargetHarness.Bound);
        Assert.Equal("keep-up", h.Stats.LastDecision!.Reason);

        // 12 ms after the second (it ran 14): alone, T(1) = 12 ms is more than 0.75 of a 12 ms gap, so company is worth
        // waiting for, but only while one more arrival is expected before the deadline (78 ms): it goes at 78 − 12 = 66 ms.
        var third = await h.SendOneAsync();
        Assert.Equal(1, h.Dispatched);
        h.Time.Advance(TimeSpan.FromMilliseconds(66));
        await third.WaitAsync(LatencyTargetHarness.Bound);

        Assert.Equal("sparse", h.Stats.LastDecision!.Reason);
        Assert.Equal(66, h.Stats.LastDecision.WaitedMs, 3);
    }

    [Fact]
    public async Task InferAsync_SteadyHighArrivalRate_StillWaitsForChosenSize()
    {
        await using var h = new LatencyTargetHarness(Target, aMs: 10, bMs: 2);
        await h.Batcher.Calibrated.WaitAsync(LatencyTargetHarness.Bound);
        var calibrationRuns = h.Executor.Sizes.Count;
        var answers = new List<Task<IReadOnlyList<InferenceService.Runtime.Tensors.Tensor>>>();

        // One request every 2 ms: a batch of n would need T(n) ≤ 0.75 · n · 2 ms to keep up, which no n does; one
        // arrival is always expected before the deadline. So the batch grows to the chosen 17 (the head waited 32 ms).
        for (var i = 0; i < 17; i++)
        {
            if (i > 0)
            {
                h.Time.Advance(TimeSpan.FromMilliseconds(2));
            }

            answers.Add(await h.SendOneAsync());
            Assert.Equal(i < 16 ? 0 : 1, h.Dispatched);
        }

        await Task.WhenAll(answers).WaitAsync(LatencyTargetHarness.Bound);
        Assert.Equal([17], h.Executor.Sizes.Skip(calibrationRuns));
        Assert.Equal("size", h.Stats.LastDecision!.Reason);
        Assert.Equal(32, h.Stats.LastDecision.WaitedMs, 6);
    }

    [Fact]
    public async Task InferAsync_CostDoublesUnderSaturation_ChoosesNewHandCalculatedSizeWithinCostWindow()
    {
        await using var h = new LatencyTargetHarness(Target, aMs: 10, bMs: 2);
        await h.Batcher.Calibrated.WaitAsync(LatencyTargetHarness.Bound);
        Assert.Equal([17, 17, 6], await h.BurstAsync(40));

        h.Executor.Multiplier = 2;
        var afterStep = new List<(int Size, bool Last)>();
        while (afterStep.Count < BatchCostModel.Window + 8)
        {
            var sizes = await h.BurstAsync(40);
            afterStep.AddRange(sizes.Select((size, i) => (size, i == sizes.Count - 1)));
        }

        output.WriteLine($"batch sizes after the step: {string.Join(",", afterStep.Select(b => b.Last ? $"{b.Size}|" : $"{b.Size}"))}");
        output.WriteLine($"first batch at the new size: #{afterStep.FindIndex(b => b.Size == 6) + 1}");

        // 2·(20 + 4n) ≤ 90 → n ≤ 6.25. Two batches off by 2x restart the cost window, so from the third batch after the
        // step every batch that leaves requests behind (all but a burst's last) has exactly 6; the window bounds it anyway.
        // A burst's last batch is a drain: after 6 and 6 the head has waited 88 ms, past the plan, so the 28 left go
        // together (17, 23| then 6, 6, 28| per burst; before draining existed: 17, 14, 6, 6, ...).
        var bucket = h.Bucket;
        Assert.Equal(20, bucket.AMs, 6);
        Assert.Equal(4, bucket.BMs, 6);
        Assert.Equal(6, bucket.BatchSize);
        var settled = afterStep.Skip(2).Where(b => !b.Last).ToList();
        Assert.NotEmpty(settled);
        Assert.All(settled, b => Assert.Equal(6, b.Size));
        Assert.Equal(0.9, h.Stats.PlanFactor, 9);
    }

    [Fact]
    public async Task InferAsync_BacklogBehindPessimisticCalibration_DrainsAtCapAndRefitsFromDrainBatches()
    {
        // A busy start-up: batch 1 measured at 60 ms, batch 2 at 120 ms (over the target, so calibration stops), fit
        // 0 + 60·n: "no batching gain", chosen size 1. The real cost is 10 + 2n.
        await using var h = new LatencyTargetHarness(Target, aMs: 10, bMs: 2, calibrationRunsMs: [60, 60, 60, 120, 120, 120]);
        await h.Batcher.Calibrated.WaitAsync(LatencyTargetHarness.Bound);
        Assert.Equal(1, h.Bucket.BatchSize);

        var sizes = await h.BurstAsync(200);

        // 1 (12 ms; fit through the calibration points 52·n: still 1), 1 (second run far under the prediction: window
        // restarts, calibration shape rescaled to 12·n: 3), 3 (points at 1 and 3 span a factor 2: exact fit 10 + 2n: 17),
        // 17 (waited 40 + T(17) = 84 ≤ 90). Then the head has waited 84 ms and 84 + T(17) > 90: it cannot meet the plan
        // at the chosen size, so the backlog drains at the cap (32, 74 ms each) and the 18 left go together. Without
        // draining, the 178 left would go 17 at a time (at 1 a time had the fit stayed at 52·n); the drain batches are
        // the fit's largest points.
        Assert.Equal([1, 1, 3, 17, 32, 32, 32, 32, 32, 18], sizes);
        Assert.Equal("drain", h.Stats.LastDecision!.Reason);
        var bucket = h.Bucket;
        Assert.Equal(10, bucket.AMs, 6);
        Assert.Equal(2, bucket.BMs, 6);
        Assert.Equal(17, bucket.BatchSize);
    }

    [Fact]
    public async Task InferAsync_TargetShorterThanBatchOne_WarnsAndServesAlone()
    {
        await using var h = new LatencyTargetHarness(targetMs: 8, aMs: 10, bMs: 2);
        await h.Batcher.Calibrated.WaitAsync(LatencyTargetHarness.Bound);

        var sizes = await h.BurstAsync(3);

        var stats = h.Stats;
        Assert.Equal([1], stats.CalibrationPoints.Select(p => p.BatchSize));
        Assert.Contains("latency_target_ms 8 is shorter than the measured batch-1 time 12.000 ms", stats.Warning, StringComparison.Ordinal);
        Assert.Equal([1, 1, 1], sizes);
        Assert.Equal("unreachable", stats.LastDecision!.Reason);
    }

    [Fact]
    public async Task GetStatistics_BatchOneFallsWithinTargetAfterCalibration_ClearsWarning()
    {
        await using var h = new LatencyTargetHarness(targetMs: 8, aMs: 10, bMs: 2);
        await h.Batcher.Calibrated.WaitAsync(LatencyTargetHarness.Bound);
        Assert.NotNull(h.Stats.Warning);

        // Calibrated on a busy machine: T(1) = 12 ms then, 3 ms now. Two runs this far under the prediction restart the
        // fit from them, so T(1) ≈ 3 ms ≤ 8 and requests are no longer sent alone because of the target.
        h.Executor.Multiplier = 0.25;
        await h.BurstAsync(3);

        Assert.InRange(h.Bucket.AMs + h.Bucket.BMs, 0, 8);
        Assert.Null(h.Stats.Warning);
    }

    [Fact]
    public async Task InferAsync_SlowRunMissesTargetWithoutBacklog_BacksOffPlanAndShortensWait()
    {
        await using var h = new LatencyTargetHarness(Target, aMs: 10, bMs: 2);
        await h.Batcher.Calibrated.WaitAsync(LatencyTargetHarness.Bound);
        h.Executor.NextRunTakes(30);

        var answer = await h.SendOneAsync();
        h.Time.Advance(TimeSpan.FromMilliseconds(78));
        await answer.WaitAsync(LatencyTargetHarness.Bound);

        // 78 ms waited + 30 ms run = 108 ms > 100 with nothing else queued: the plan itself was too long, so it shrinks
        // to 0.9 · 0.8 = 0.72 of the target, and a lone request now waits at most 72 − T(1) ≤ 60 ms (T(1) ≥ 12 after a slow run).
        var stats = h.Stats;
        Assert.Equal(108, stats.ObservedP99Ms!.Value, 6);
        Assert.Equal("decrease", stats.LastAdjustment);
        Assert.Equal(0.72, stats.PlanFactor, 9);
        Assert.InRange(h.Bucket.WaitMs, 0, 60);
    }

    [Fact]
    public async Task InferAsync_CalibrationFails_ReportsFailureAndStillServes()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var executor = new FakeTextExecutor { FailWhen = inputs => inputs[0].As<long>().All(id => id == 0) };
        await using var batcher = TextModel.Batcher(executor, time, new Runtime.Batching.DynamicBatchingConfig { LatencyTargetMs = Target });
        await batcher.Calibrated.WaitAsync(LatencyTargetHarness.Bound);
        var watcher = new LoopWatcher(batcher);

        var idle = watcher.WhenIdleAfter(1);
        var answer = batcher.InferAsync(TextModel.Request(1, 4), CancellationToken.None);
        await idle;
        time.Advance(TimeSpan.FromSeconds(1));
        await answer.WaitAsync(LatencyTargetHarness.Bound);

        var stats = batcher.GetStatistics().LatencyTarget!;
        Assert.Equal("failed: fake engine error", stats.Calibration);
        Assert.Empty(stats.CalibrationPoints);
        Assert.Equal(1, batcher.GetStatistics().Success.Count);
    }

    [Fact]
    public async Task Calibration_TwoInstances_ChoosesSizeForHalfBatchCollectionTime()
    {
        await using var h = new LatencyTargetHarness(Target, aMs: 10, bMs: 2, instances: 2);

        await h.Batcher.Calibrated.WaitAsync(LatencyTargetHarness.Bound);

        // With 2 instances a saturated queue collects a batch in T(n)/2: 1.5·(10 + 2n) ≤ 90 → n ≤ 25.
        Assert.Equal(25, h.Bucket.BatchSize);
    }

    [Fact]
    public async Task InferAsync_UncalibratedLengthBucket_RescalesCalibratedShapeAfterItsFirstBatch()
    {
        await using var h = new LatencyTargetHarness(Target, aMs: 10, bMs: 2, lengthBuckets: [8]);
        h.Executor.LengthFactor = length => length > 8 ? 3 : 1;
        await h.Batcher.Calibrated.WaitAsync(LatencyTargetHarness.Bound);

        var sizes = await h.BurstAsync(20, length: 16);

        // The long bucket starts from the calibration (length 1) line: 17. Its first batch takes 3 × 44 ms, so the
        // line is rescaled to 30 + 6n: 2·(30 + 6n) ≤ 90 → n = 2. The 3 left have waited 132 ms, past the plan at any
        // size, so they drain together (30 + 6·3 = 48 ms, on the line). The short bucket keeps 10 + 2n.
        Assert.Equal([17, 3], sizes);
        Assert.Equal("drain", h.Stats.LastDecision!.Reason);
        var buckets = h.Stats.Buckets;
        Assert.Equal(2, buckets.Count);
        var longBucket = Assert.Single(buckets, b => b.Bucket.EndsWith("#b1", StringComparison.Ordinal));
        Assert.Equal(30, longBucket.AMs, 6);
        Assert.Equal(6, longBucket.BMs, 6);
        Assert.Equal(2, longBucket.BatchSize);
        var shortBucket = Assert.Single(buckets, b => b.Bucket.EndsWith("#b0", StringComparison.Ordinal));
        Assert.Equal(17, shortBucket.BatchSize);
    }
}

using InferenceService.Runtime.Batching;

namespace InferenceService.Runtime.Tests.Batching;

public sealed class DynamicBatcherStressTests
{
    private static readonly DynamicBatchingConfig Batching = new()
    {
        PreferredBatchSizes = [8, 16],
        MaxQueueDelayMicroseconds = 200,
        MaxQueueSize = 5000,
        PriorityLevels = 2,
        DefaultPriorityLevel = 2,
        LengthBuckets = [8, 16],
    };

    [Fact]
    public async Task InferAsync_ThousandsQueuedBehindBusyInstances_EveryAnswerOnceAndEqualToUnbatched()
    {
        using var executor = new FakeTextExecutor(instanceCount: 4);
        var options = new StressOptions { Requests = 3000, Seed = 7 };

        var report = await BatchingStressHarness.RunAsync(executor, TextModel.Config(Batching, maxBatchSize: 16), options, executor.Hold, executor.Open);

        Assert.Empty(report.Problems);
        Assert.Equal(report.Requests, report.Succeeded + report.Cancelled);
        Assert.InRange(report.Cancelled, report.EarlyCancellations, report.PlannedCancellations);
        Assert.Equal(report.Requests, report.Statistics.Success.Count + report.Statistics.Fail.Count);
        Assert.Equal(report.Succeeded, report.Statistics.Success.Count);
        Assert.True(report.Statistics.ExecutionCount < report.Statistics.InferenceCount / 4, $"{report.Statistics.ExecutionCount} batches for {report.Statistics.InferenceCount} items");
    }

    [Fact]
    public async Task InferAsync_ThousandsFreeRunning_EveryAnswerOnceAndEqualToUnbatched()
    {
        using var executor = new FakeTextExecutor(instanceCount: 2);
        var options = new StressOptions { Requests = 2000, Seed = 11, CancelFraction = 0.2 };

        var report = await BatchingStressHarness.RunAsync(executor, TextModel.Config(Batching, maxBatchSize: 16), options);

        Assert.Empty(report.Problems);
        Assert.Equal(report.Requests, report.Succeeded + report.Cancelled);
        Assert.Equal(report.Requests, report.Statistics.Success.Count + report.Statistics.Fail.Count);
    }
}

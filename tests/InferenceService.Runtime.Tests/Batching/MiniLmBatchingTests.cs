using InferenceService.Runtime.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>The batcher in front of the real MiniLM: padded, batched answers equal unbatched ones.</summary>
public sealed class MiniLmBatchingTests
{
    [Fact]
    public async Task Stress_RealMiniLm_EveryAnswerEqualsUnbatchedAndBatchesForm()
    {
        var config = RepoModels.Config("minilm") with { ExecutionProviders = ["cpu"] };
        var factory = new SessionPoolFactory(new ExecutionProviderCatalog(new OnnxRuntimeEnvironment(NullLoggerFactory.Instance), NullLogger<ExecutionProviderCatalog>.Instance));
        using var pool = factory.Create("minilm", RepoModels.OnnxPath("minilm"), config);

        var report = await BatchingStressHarness.RunAsync(pool, config, new StressOptions
        {
            Requests = 300,
            MaxRows = 2,
            MaxLength = 40,
            CancelFraction = 0.05,
            Tolerance = 1e-4f,
            VocabularySize = 30_000,
            AnswerBound = TimeSpan.FromMinutes(2),
        });

        Assert.Empty(report.Problems);
        Assert.Equal(report.Requests, report.Succeeded + report.Cancelled);
        Assert.Equal(0, report.Unanswered);
        Assert.True(report.Statistics.ExecutionCount < report.Statistics.InferenceCount, $"{report.Statistics.ExecutionCount} batches for {report.Statistics.InferenceCount} items");
    }

    [Fact]
    public async Task Stress_RealMiniLmUnderTokenBudget_NoRunExceedsItAndEveryAnswerEqualsUnbatched()
    {
        var shipped = RepoModels.Config("minilm");
        var config = shipped with { ExecutionProviders = ["cpu"], DynamicBatching = shipped.DynamicBatching! with { MaxBatchTokens = 160 } };
        var factory = new SessionPoolFactory(new ExecutionProviderCatalog(new OnnxRuntimeEnvironment(NullLoggerFactory.Instance), NullLogger<ExecutionProviderCatalog>.Instance));
        using var pool = factory.Create("minilm", RepoModels.OnnxPath("minilm"), config);
        var executor = new CostRecordingExecutor(pool);

        // A request is at most 2 rows of 40 (80 tokens); 160 tokens hold 4 rows of 40, 10 of 16: the budget binds often.
        var report = await BatchingStressHarness.RunAsync(executor, config, new StressOptions
        {
            Requests = 150,
            MaxRows = 2,
            MaxLength = 40,
            CancelFraction = 0,
            Tolerance = 1e-4f,
            VocabularySize = 30_000,
            AnswerBound = TimeSpan.FromMinutes(2),
        });

        Assert.Empty(report.Problems);
        Assert.Equal(report.Requests, report.Succeeded);
        Assert.InRange(executor.MaxCost, 1, 160);
        Assert.True(report.Statistics.ExecutionCount < report.Statistics.InferenceCount, $"{report.Statistics.ExecutionCount} batches for {report.Statistics.InferenceCount} items");
    }
}

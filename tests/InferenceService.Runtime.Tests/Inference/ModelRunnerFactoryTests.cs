using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tests.Batching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Inference;

public sealed class ModelRunnerFactoryTests
{
    [Fact]
    public async Task Create_BatchingModelWithDynamicBatching_ReturnsTheBatcher()
    {
        using var executor = new FakeTextExecutor();

        await using var runner = ModelRunnerFactory.Create("text", TextModel.Config(new DynamicBatchingConfig()), executor, new FakeTimeProvider(), NullLoggerFactory.Instance);

        Assert.IsType<DynamicBatcher>(runner);
    }

    [Fact]
    public async Task Create_NoDynamicBatchingSection_ReturnsDirectRunnerWithStatistics()
    {
        using var executor = new FakeTextExecutor();
        await using var runner = ModelRunnerFactory.Create("text", TextModel.Config(batching: null), executor, new FakeTimeProvider(), NullLoggerFactory.Instance);

        await runner.InferAsync(TextModel.Request(1, 4, rows: 3), default);

        var stats = Assert.IsType<IModelStatistics>(runner, exactMatch: false).GetStatistics();
        Assert.IsType<DirectRunner>(runner);
        Assert.Equal((3L, 1L, 1L), (stats.InferenceCount, stats.ExecutionCount, stats.Success.Count));
    }

    [Fact]
    public void Create_InvalidBatchingConfig_ThrowsWithTheValidatorsMessage()
    {
        using var executor = new FakeTextExecutor();
        var config = TextModel.Config(new DynamicBatchingConfig { PreferredBatchSizes = [16] }, maxBatchSize: 8);

        var error = Assert.Throws<ArgumentException>(() => ModelRunnerFactory.Create("text", config, executor, new FakeTimeProvider(), NullLoggerFactory.Instance));

        Assert.Contains("larger than max_batch_size 8", error.Message, StringComparison.Ordinal);
    }
}

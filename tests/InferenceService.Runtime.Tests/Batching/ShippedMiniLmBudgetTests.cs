using InferenceService.Runtime.Batching;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>
/// MiniLM's shipped max_batch_tokens caps only long batches: the saturated short-sentence case (seq 16, and seq 32)
/// keeps its full max_batch_size rows, while long sequences get the smaller batches the CPU runs fastest.
/// </summary>
public sealed class ShippedMiniLmBudgetTests
{
    [Theory]
    [InlineData(16, 64)]
    [InlineData(32, 64)]
    [InlineData(128, 16)]
    [InlineData(256, 8)]
    [InlineData(512, 4)]
    public void LargestBatch_ShippedMiniLmConfig_RowsPerPaddedLength(long length, int rows)
    {
        var config = RepoModels.Config("minilm");

        Assert.Equal(rows, TokenBudget.LargestBatch(config.MaxBatchSize, config.DynamicBatching!.MaxBatchTokens, length));
    }
}

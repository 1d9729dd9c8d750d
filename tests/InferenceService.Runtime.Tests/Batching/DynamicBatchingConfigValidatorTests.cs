using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Tests.Batching;

public sealed class DynamicBatchingConfigValidatorTests
{
    [Fact]
    public void Validate_SensibleConfig_ReturnsNoErrors()
    {
        var config = TextModel.Config(new DynamicBatchingConfig
        {
            PreferredBatchSizes = [4, 8],
            MaxQueueDelayMicroseconds = 500,
            MaxQueueSize = 64,
            DefaultTimeoutMicroseconds = 100_000,
            PriorityLevels = 2,
            DefaultPriorityLevel = 2,
            LengthBuckets = [16, 64],
        });

        Assert.Empty(DynamicBatchingConfigValidator.Validate(config));
    }

    [Fact]
    public void Validate_DelayLongerThanTimeout_NamesBothFieldsWithTheirValues()
    {
        var config = TextModel.Config(new DynamicBatchingConfig { MaxQueueDelayMicroseconds = 5000, DefaultTimeoutMicroseconds = 1000 });

        var error = Assert.Single(DynamicBatchingConfigValidator.Validate(config));

        Assert.Contains("max_queue_delay_microseconds (5000)", error, StringComparison.Ordinal);
        Assert.Contains("default_timeout_microseconds (1000)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PreferredSizeAboveMaxBatchSize_NamesTheSizeAndTheMax()
    {
        var config = TextModel.Config(new DynamicBatchingConfig { PreferredBatchSizes = [4, 12] }, maxBatchSize: 8);

        var error = Assert.Single(DynamicBatchingConfigValidator.Validate(config));

        Assert.Contains("preferred_batch_sizes contains 12, larger than max_batch_size 8", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1, "default_priority_level (1) needs priority_levels > 0")]
    [InlineData(3, 0, "default_priority_level must be in 1..3")]
    [InlineData(3, 4, "default_priority_level must be in 1..3")]
    public void Validate_DefaultPriorityOutOfRange_SaysTheRange(int levels, int defaultLevel, string expected)
    {
        var config = TextModel.Config(new DynamicBatchingConfig { PriorityLevels = levels, DefaultPriorityLevel = defaultLevel });

        Assert.Contains(expected, Assert.Single(DynamicBatchingConfigValidator.Validate(config)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoMaxBatchSize_SaysBatchingNeedsIt()
    {
        var config = TextModel.Config(new DynamicBatchingConfig(), maxBatchSize: 0);

        Assert.Contains("needs max_batch_size > 0, got 0", Assert.Single(DynamicBatchingConfigValidator.Validate(config)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BucketsNotAscending_PrintsThem()
    {
        var config = TextModel.Config(new DynamicBatchingConfig { LengthBuckets = [64, 16] });

        Assert.Contains("[64,16]", Assert.Single(DynamicBatchingConfigValidator.Validate(config)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FractionalPadValueForIntegerInput_NamesTheInput()
    {
        var config = TextModel.Config(new DynamicBatchingConfig()) with
        {
            Inputs = [new TensorConfig { Name = "input_ids", Datatype = "INT64", Dims = [-1], PadValue = 0.5 }],
        };

        Assert.Contains("inputs['input_ids'].pad_value 0.5", Assert.Single(DynamicBatchingConfigValidator.Validate(config)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-5.0)]
    [InlineData(0.0)]
    public void Validate_LatencyTargetNotPositive_NamesFieldAndValue(double target)
    {
        var config = TextModel.Config(new DynamicBatchingConfig { LatencyTargetMs = target });

        var error = Assert.Single(DynamicBatchingConfigValidator.Validate(config));

        Assert.Contains($"dynamic_batching.latency_target_ms must be a positive number of milliseconds, got {target}.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LatencyTargetPositive_ReturnsNoErrors()
    {
        var config = TextModel.Config(new DynamicBatchingConfig { LatencyTargetMs = 0.5 });

        Assert.Empty(DynamicBatchingConfigValidator.Validate(config));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-8L)]
    public void Validate_MaxBatchTokensNotPositive_NamesFieldAndValue(long budget)
    {
        var config = TextModel.Config(new DynamicBatchingConfig { MaxBatchTokens = budget });

        var error = Assert.Single(DynamicBatchingConfigValidator.Validate(config));

        Assert.Contains($"dynamic_batching.max_batch_tokens must be > 0 (the rows × padded length a batch may cost), got {budget}.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MaxBatchTokensWithoutVariableDim_SaysThereIsNoLengthToCount()
    {
        var config = TextModel.Config(new DynamicBatchingConfig { MaxBatchTokens = 64 }) with
        {
            Inputs = [new TensorConfig { Name = "input_ids", Datatype = "INT64", Dims = [16] }],
        };

        Assert.Contains("max_batch_tokens 64 needs an input with a variable (-1) dim", Assert.Single(DynamicBatchingConfigValidator.Validate(config)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MaxBatchTokensBelowWarmupSize_PrintsTheWarmupsCost()
    {
        var config = TextModel.Config(new DynamicBatchingConfig { MaxBatchTokens = 100 }) with
        {
            Warmup = new WarmupConfig { BatchSize = 4, Dims = new Dictionary<string, long[]> { ["input_ids"] = [32], ["attention_mask"] = [32] } },
        };

        var error = Assert.Single(DynamicBatchingConfigValidator.Validate(config));

        Assert.Contains("max_batch_tokens 100 is smaller than the warm-up's padded size (warmup.batch_size 4 × length 32 = 128)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MaxBatchTokensCoveringWarmup_ReturnsNoErrors()
    {
        var config = TextModel.Config(new DynamicBatchingConfig { MaxBatchTokens = 128, LengthBuckets = [16, 64] }) with
        {
            Warmup = new WarmupConfig { BatchSize = 4, Dims = new Dictionary<string, long[]> { ["input_ids"] = [32], ["attention_mask"] = [32] } },
        };

        Assert.Empty(DynamicBatchingConfigValidator.Validate(config));
    }
}

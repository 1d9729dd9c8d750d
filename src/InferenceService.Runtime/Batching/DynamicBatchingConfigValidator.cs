using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Batching;

/// <summary>
/// Start-up checks of a model's <c>dynamic_batching</c> section against the rest of its config. Each message names the
/// field and prints the values, so a bad config.json is fixed from the log line alone.
/// </summary>
public static class DynamicBatchingConfigValidator
{
    public static IReadOnlyList<string> Validate(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<string>();
        if (config.DynamicBatching is not { } batching)
        {
            return errors;
        }

        if (config.MaxBatchSize <= 0)
        {
            errors.Add($"dynamic_batching needs max_batch_size > 0, got {config.MaxBatchSize}.");
        }

        foreach (var size in batching.PreferredBatchSizes)
        {
            if (size <= 0)
            {
                errors.Add($"dynamic_batching.preferred_batch_sizes must be positive, got {size}.");
            }
            else if (config.MaxBatchSize > 0 && size > config.MaxBatchSize)
            {
                errors.Add($"dynamic_batching.preferred_batch_sizes contains {size}, larger than max_batch_size {config.MaxBatchSize}.");
            }
        }

        if (batching.PreferredBatchSizes.Distinct().Count() != batching.PreferredBatchSizes.Count)
        {
            errors.Add($"dynamic_batching.preferred_batch_sizes has duplicates: [{string.Join(",", batching.PreferredBatchSizes)}].");
        }

        if (batching.MaxQueueDelayMicroseconds < 0)
        {
            errors.Add($"dynamic_batching.max_queue_delay_microseconds must be >= 0, got {batching.MaxQueueDelayMicroseconds}.");
        }

        if (batching.MaxQueueSize < 0)
        {
            errors.Add($"dynamic_batching.max_queue_size must be >= 0 (0: {DynamicBatchingConfig.DefaultMaxQueueSize}), got {batching.MaxQueueSize}.");
        }

        if (batching.DefaultTimeoutMicroseconds < 0)
        {
            errors.Add($"dynamic_batching.default_timeout_microseconds must be >= 0 (0: no timeout), got {batching.DefaultTimeoutMicroseconds}.");
        }
        else if (batching.DefaultTimeoutMicroseconds > 0 && batching.MaxQueueDelayMicroseconds >= batching.DefaultTimeoutMicroseconds)
        {
            errors.Add(
                $"dynamic_batching.max_queue_delay_microseconds ({batching.MaxQueueDelayMicroseconds}) is not shorter than " +
                $"default_timeout_microseconds ({batching.DefaultTimeoutMicroseconds}): a lone request would time out before its batch is sent.");
        }

        if (batching.LatencyTargetMs is { } target && !(target > 0 && double.IsFinite(target)))
        {
            // A target shorter than the model's batch-1 time is not an error: only calibration can tell, and it warns in the stats.
            errors.Add($"dynamic_batching.latency_target_ms must be a positive number of milliseconds, got {target}.");
        }

        ValidatePriorities(batching, errors);
        ValidateBuckets(config, batching, errors);
        ValidateTokenBudget(config, batching, errors);
        ValidatePadValues(config, errors);
        return errors;
    }

    private static void ValidatePriorities(DynamicBatchingConfig batching, List<string> errors)
    {
        if (batching.PriorityLevels < 0)
        {
            errors.Add($"dynamic_batching.priority_levels must be >= 0, got {batching.PriorityLevels}.");
        }
        else if (batching.PriorityLevels == 0 && batching.DefaultPriorityLevel != 0)
        {
            errors.Add($"dynamic_batching.default_priority_level ({batching.DefaultPriorityLevel}) needs priority_levels > 0, got 0.");
        }
        else if (batching.PriorityLevels > 0 && (batching.DefaultPriorityLevel < 1 || batching.DefaultPriorityLevel > batching.PriorityLevels))
        {
            errors.Add($"dynamic_batching.default_priority_level must be in 1..{batching.PriorityLevels} (priority_levels), got {batching.DefaultPriorityLevel}.");
        }
    }

    private static void ValidateBuckets(ModelConfig config, DynamicBatchingConfig batching, List<string> errors)
    {
        var buckets = batching.LengthBuckets;
        if (buckets.Count == 0)
        {
            return;
        }

        for (var i = 0; i < buckets.Count; i++)
        {
            if (buckets[i] <= 0 || (i > 0 && buckets[i] <= buckets[i - 1]))
            {
                errors.Add($"dynamic_batching.length_buckets must be positive and strictly ascending, got [{string.Join(",", buckets)}].");
                break;
            }
        }

        if (!config.Inputs.Any(input => input.Dims.Contains(-1)))
        {
            errors.Add($"dynamic_batching.length_buckets [{string.Join(",", buckets)}] needs an input with a variable (-1) dim; none has one.");
        }
    }

    private static void ValidateTokenBudget(ModelConfig config, DynamicBatchingConfig batching, List<string> errors)
    {
        if (batching.MaxBatchTokens is not { } budget)
        {
            return;
        }

        if (budget <= 0)
        {
            errors.Add($"dynamic_batching.max_batch_tokens must be > 0 (the rows × padded length a batch may cost), got {budget}.");
            return;
        }

        if (!config.Inputs.Any(input => input.Dims.Contains(-1)))
        {
            errors.Add($"dynamic_batching.max_batch_tokens {budget} needs an input with a variable (-1) dim to measure lengths on; none has one.");
            return;
        }

        // The budget is also the largest request the model accepts (TEI: max_batch_tokens >= max_input_length), and the
        // warm-up stands for a request: latency-target calibration builds its batches from it.
        var warmup = config.Warmup ?? new WarmupConfig();
        var length = TokenBudget.WarmupLength(config);
        if (TokenBudget.Cost(warmup.BatchSize, length) > budget)
        {
            errors.Add(
                $"dynamic_batching.max_batch_tokens {budget} is smaller than the warm-up's padded size " +
                $"(warmup.batch_size {warmup.BatchSize} × length {length} = {TokenBudget.Cost(warmup.BatchSize, length)}): raise the budget or shrink the warm-up.");
        }
    }

    private static void ValidatePadValues(ModelConfig config, List<string> errors)
    {
        foreach (var input in config.Inputs)
        {
            if (input.PadValue is not { } pad || !TensorDataTypes.TryParse(input.Datatype, out var type))
            {
                continue;
            }

            if (!PadValues.Fits(type, pad))
            {
                errors.Add($"inputs['{input.Name}'].pad_value {pad} is not a {input.Datatype} value.");
            }
        }
    }
}

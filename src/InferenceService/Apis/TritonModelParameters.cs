using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using InferenceService.Grpc;
using RepositoryConfig = InferenceService.Runtime.Repository.ModelConfig;

namespace InferenceService.Apis;

/// <summary>
/// What a config.json says that Triton's ModelConfig has no field for, as its <c>parameters</c> (Triton's place for
/// backend-specific settings): the key is the setting's path in config.json, the value its JSON text (a string as is).
/// Settings of a section the version does not use (dynamic_batching without a batch dim) are left out.
/// </summary>
internal static class TritonModelParameters
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Dictionary<string, ModelParameter> From(RepositoryConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var parameters = new Dictionary<string, ModelParameter>(StringComparer.Ordinal)
        {
            ["execution_providers"] = Json(config.ExecutionProviders),
            ["graph_optimization_level"] = Text(config.GraphOptimizationLevel),
            ["intra_op_threads"] = Json(config.IntraOpThreads),
            ["intra_op_spinning"] = Json(config.IntraOpSpinning),
        };

        if (config.MaxBatchSize > 0 && config.DynamicBatching is { } batching)
        {
            if (batching.LengthBuckets.Count > 0)
            {
                parameters["dynamic_batching.length_buckets"] = Json(batching.LengthBuckets);
            }

            if (batching.MaxBatchTokens is { } tokens)
            {
                parameters["dynamic_batching.max_batch_tokens"] = Json(tokens);
            }

            if (batching.LatencyTargetMs is { } target)
            {
                parameters["dynamic_batching.latency_target_ms"] = Json(target);
            }
        }

        foreach (var input in config.Inputs)
        {
            if (input.PadValue is { } pad)
            {
                parameters[$"inputs.{input.Name}.pad_value"] = Json(pad);
            }

            if (input.ValueRange is { } range)
            {
                parameters[$"inputs.{input.Name}.value_range"] = Json(range);
            }
        }

        if (config.ResponseCache is { Enable: true } cache)
        {
            parameters["response_cache.max_entry_bytes"] = Text(cache.MaxEntryBytes.ToString(CultureInfo.InvariantCulture));
        }

        if (config.Pipeline is { } pipeline)
        {
            parameters["pipeline"] = Json(pipeline);
        }

        return parameters;
    }

    private static ModelParameter Text(string value) => new() { StringValue = value };

    private static ModelParameter Json<T>(T value) => Text(JsonSerializer.Serialize(value, Compact));
}

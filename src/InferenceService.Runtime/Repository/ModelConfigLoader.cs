using System.Globalization;
using System.Text.Json;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Repository;

/// <summary>Reads and validates <c>models/&lt;name&gt;/config.json</c>; every error names the file, the field and the expected value.</summary>
public static class ModelConfigLoader
{
    public const string ConfigFileName = "config.json";
    public const string ModelFileName = "model.onnx";

    private static readonly string[] Providers = ["cuda", "cpu"];
    private static readonly string[] OptimizationLevels = ["disabled", "basic", "extended", "all"];

    /// <summary>Reads a complete config.json (StrictConfig): a missing file or one without inputs and outputs is an error.</summary>
    public static ModelConfig Load(string modelDir)
    {
        var path = Path.Combine(modelDir, ConfigFileName);
        if (!File.Exists(path))
        {
            throw new ModelConfigException(path, "$", "a config.json in every model folder (ModelRepository:StrictConfig is on)", "no such file");
        }

        var config = Deserialize(path, File.ReadAllBytes(path));
        Validate(path, config);
        return config;
    }

    /// <summary>
    /// Reads config.json as far as it goes (absent, empty, only a comment, or any subset of fields) for the graph to
    /// complete: the fields present are checked now, the whole config once it is complete.
    /// </summary>
    public static ModelConfigDraft LoadDraft(string modelDir)
    {
        var path = Path.Combine(modelDir, ConfigFileName);
        if (!File.Exists(path))
        {
            return new ModelConfigDraft(path, new ModelConfig(), HasMaxBatchSize: false);
        }

        var bytes = File.ReadAllBytes(path);
        if (IsEmptyDocument(bytes))
        {
            return new ModelConfigDraft(path, new ModelConfig(), HasMaxBatchSize: false);
        }

        var config = Deserialize(path, bytes);
        var hasMaxBatchSize = HasField(bytes, "max_batch_size");
        Validate(path, config, draft: true);
        return new ModelConfigDraft(path, config, hasMaxBatchSize);
    }

    /// <summary>The numbered version folders present under the model folder.</summary>
    public static IReadOnlyList<long> FindVersions(string modelDir) =>
        Directory.EnumerateDirectories(modelDir)
            .Select(Path.GetFileName)
            .Select(n => long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : 0)
            .Where(v => v > 0)
            .Order()
            .ToList();

    public static void Validate(string path, ModelConfig config) => Validate(path, config, draft: false);

    /// <param name="draft">A config the graph completes: inputs, outputs and max_batch_size may be missing, and what depends on them is checked after.</param>
    private static void Validate(string path, ModelConfig config, bool draft)
    {
        ArgumentNullException.ThrowIfNull(config);
        Require(path, "platform", config.Platform == "onnxruntime_onnx", "\"onnxruntime_onnx\"", Quote(config.Platform));
        Require(path, "max_batch_size", config.MaxBatchSize >= 0, "an integer >= 0", Str(config.MaxBatchSize));
        Require(path, "inputs", draft || config.Inputs.Count > 0, "at least one input", "none");
        Require(path, "outputs", draft || config.Outputs.Count > 0, "at least one output", "none");
        ValidateTensors(path, "inputs", config.Inputs, draft);
        ValidateTensors(path, "outputs", config.Outputs, draft);
        Require(path, "instance_count", config.InstanceCount is >= 1 and <= 64, "an integer from 1 to 64", Str(config.InstanceCount));
        Require(path, "execution_providers", config.ExecutionProviders.Count > 0, "a list such as [\"cuda\", \"cpu\"]", "an empty list");
        for (var i = 0; i < config.ExecutionProviders.Count; i++)
        {
            var p = config.ExecutionProviders[i];
            Require(path, $"execution_providers[{i}]", Providers.Contains(p), "one of cuda, cpu", Quote(p));
        }

        Require(path, "graph_optimization_level", OptimizationLevels.Contains(config.GraphOptimizationLevel),
            "one of " + string.Join(", ", OptimizationLevels), Quote(config.GraphOptimizationLevel));
        Require(path, "intra_op_threads", config.IntraOpThreads >= 0, "an integer >= 0 (0 = cores / instance_count)", Str(config.IntraOpThreads));

        if (!draft && config.Warmup is { } warmup)
        {
            var maxBatch = Math.Max(1, config.MaxBatchSize);
            Require(path, "warmup.batch_size", warmup.BatchSize >= 1 && warmup.BatchSize <= maxBatch, $"1 to {maxBatch}", Str(warmup.BatchSize));
            Require(path, "warmup.runs", warmup.Runs is >= 1 and <= 100, "1 to 100", Str(warmup.Runs));
            foreach (var (name, dims) in warmup.Dims)
            {
                var input = config.Inputs.FirstOrDefault(i => i.Name == name);
                Require(path, $"warmup.dims.{name}", input is not null, "the name of an input: " + string.Join(", ", config.Inputs.Select(i => i.Name)), Quote(name));
                Require(path, $"warmup.dims.{name}", dims.Length == input!.Dims.Count && dims.All(d => d >= 1),
                    $"{input.Dims.Count} positive dims", TensorShape.Format(dims));
            }
        }

        if (config.VersionPolicy is { } policy)
        {
            var set = (policy.Latest is null ? 0 : 1) + (policy.All is null ? 0 : 1) + (policy.Specific is null ? 0 : 1);
            Require(path, "version_policy", set == 1, "exactly one of {\"latest\": N}, {\"all\": {}}, {\"specific\": [versions]}", $"{set} of them");
            Require(path, "version_policy.latest", policy.Latest is null or >= 1, "an integer >= 1", Str(policy.Latest ?? 0));
            Require(path, "version_policy.specific", policy.Specific is null || (policy.Specific.Count > 0 && policy.Specific.All(v => v >= 1)),
                "a non-empty list of version numbers >= 1", policy.Specific is null ? "null" : "[" + string.Join(",", policy.Specific) + "]");
        }

        if (config.ResponseCache is { } cache)
        {
            Require(path, "response_cache.max_entry_bytes", cache.MaxEntryBytes >= 0, "an integer >= 0 (0 = any answer that fits the cache)", cache.MaxEntryBytes.ToString(CultureInfo.InvariantCulture));
        }

        if (!draft && config.DynamicBatching is not null)
        {
            Require(path, "dynamic_batching", config.MaxBatchSize > 0, "max_batch_size > 0 for a model with dynamic_batching", $"max_batch_size {config.MaxBatchSize}");
            var errors = Batching.DynamicBatchingConfigValidator.Validate(config);
            if (errors.Count > 0)
            {
                throw new ModelConfigException($"{path}: {string.Join("; ", errors)}");
            }
        }
    }

    private static void ValidateTensors(string path, string field, IReadOnlyList<TensorConfig> tensors, bool draft)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            var prefix = $"{field}[{i}]";
            Require(path, prefix + ".name", !string.IsNullOrWhiteSpace(t.Name), "a non-empty name", Quote(t.Name));
            Require(path, prefix + ".name", seen.Add(t.Name), "a unique name", $"'{t.Name}' twice");
            Require(path, prefix + ".datatype", TensorDataTypes.TryParse(t.Datatype, out _) || (draft && string.IsNullOrEmpty(t.Datatype)), "one of " + TensorDataTypes.AllNames, Quote(t.Datatype));
            Require(path, prefix + ".dims", t.Dims.All(d => d == -1 || d >= 1), "dims >= 1 or -1 (variable)", "[" + string.Join(",", t.Dims) + "]");
            if (t.ValueRange is { } range)
            {
                var integer = TensorDataTypes.TryParse(t.Datatype, out var type) && ValueRanges.IsInteger(type);
                Require(path, prefix + ".value_range", integer && range.Count == 2 && range[0] <= range[1],
                    "[min, max] with min <= max, on an integer tensor", $"[{string.Join(",", range)}] on {t.Datatype}");
            }
        }
    }

    private static ModelConfig Deserialize(string path, byte[] bytes)
    {
        ModelConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<ModelConfig>(bytes, RepositoryJson.Options);
        }
        catch (JsonException e)
        {
            throw new ModelConfigException(path, e.Path ?? "$", "valid config JSON (snake_case fields of a model config)", e.Message);
        }

        return config ?? throw new ModelConfigException(path, "$", "an object", "null");
    }

    /// <summary>Whitespace and comments only: a config that leaves everything to the graph.</summary>
    private static bool IsEmptyDocument(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Allow });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.Comment)
                {
                    return false;
                }
            }

            return true;
        }
        catch (JsonException)
        {
            // The reader refuses a document without a value; it is empty when nothing but whitespace is left.
            return bytes.AsSpan((int)reader.BytesConsumed).Trim(" \t\r\n"u8).IsEmpty;
        }
    }

    private static bool HasField(byte[] bytes, string name)
    {
        using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out _);
    }

    private static void Require(string path, string field, bool condition, string expected, string actual)
    {
        if (!condition)
        {
            throw new ModelConfigException(path, field, expected, actual);
        }
    }

    private static string Quote(string? s) => s is null ? "null" : $"\"{s}\"";

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}

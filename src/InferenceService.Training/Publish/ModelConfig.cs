using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InferenceService.Training.Publish;

/// <summary>models/&lt;name&gt;/config.json: the contract with the runtime (snake_case JSON).</summary>
internal sealed record ModelConfig
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Platform { get; init; } = "onnxruntime_onnx";

    public int MaxBatchSize { get; init; } = 64;

    public required IReadOnlyList<TensorSpec> Inputs { get; init; }

    public required IReadOnlyList<TensorSpec> Outputs { get; init; }

    public int InstanceCount { get; init; } = 1;

    public IReadOnlyList<string> ExecutionProviders { get; init; } = ["cuda", "cpu"];

    public string GraphOptimizationLevel { get; init; } = "all";

    /// <summary>0 lets the runtime choose.</summary>
    public int IntraOpThreads { get; init; }

    public VersionPolicy VersionPolicy { get; init; } = new(1);

    public DynamicBatching DynamicBatching { get; init; } = new();

    /// <summary>Task-endpoint settings; opaque to the serving core.</summary>
    public required JsonObject Pipeline { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ModelConfig FromJson(string json) =>
        JsonSerializer.Deserialize<ModelConfig>(json, JsonOptions) ?? throw new InvalidDataException("config.json is empty.");
}

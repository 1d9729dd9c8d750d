using System.Text.Json;
using System.Text.Json.Nodes;

namespace InferenceService.Runtime.Repository;

/// <summary>
/// A version's own settings: <c>models/&lt;name&gt;/&lt;version&gt;/pipeline.json</c> holds what belongs to its trained
/// weights (normalisation, labels, item names, tokenizer files, max tokens, the backbone version a head was trained
/// on). It is merged over the model-level <c>pipeline</c> field by field, the version winning: nested objects merge
/// recursively, arrays and scalars are replaced, and null removes a field (JSON merge patch, RFC 7396). So one
/// <c>config.json</c> serves versions trained with different numbers, each with its own.
/// </summary>
public static class VersionPipelineSettings
{
    public const string FileName = "pipeline.json";

    private static readonly JsonDocumentOptions ReadOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>
    /// <paramref name="config"/> with the version folder's <c>pipeline.json</c> merged into its pipeline, or
    /// <paramref name="config"/> itself when the folder has none. Throws <see cref="ModelConfigException"/> naming the file.
    /// </summary>
    public static ModelConfig Apply(ModelConfig config, string versionDir)
    {
        ArgumentNullException.ThrowIfNull(config);
        var path = Path.Combine(versionDir, FileName);
        if (!File.Exists(path))
        {
            return config;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllBytes(path), documentOptions: ReadOptions);
        }
        catch (JsonException e)
        {
            throw new ModelConfigException(path, e.Path ?? "$", "a JSON object with fields of config.json's pipeline", e.Message);
        }

        if (node is not JsonObject overrides)
        {
            throw new ModelConfigException(path, "$", "a JSON object with fields of config.json's pipeline, e.g. {\"labels\": \"labels.txt\"}", node?.GetValueKind().ToString() ?? "null");
        }

        var merged = config.Pipeline is { ValueKind: JsonValueKind.Object } section ? JsonObject.Create(section)!.DeepClone().AsObject() : [];
        Merge(merged, overrides);
        return config with { Pipeline = JsonSerializer.SerializeToElement(merged) };
    }

    /// <summary>Merges <paramref name="patch"/> into <paramref name="target"/> (RFC 7396).</summary>
    public static void Merge(JsonObject target, JsonObject patch)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(patch);
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}

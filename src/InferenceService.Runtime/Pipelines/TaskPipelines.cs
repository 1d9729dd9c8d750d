using System.Text.Json;
using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// Builds a version's task pipeline from its <c>pipeline</c> section and side files when the version loads. Every
/// problem is a <see cref="PipelineException"/> naming the field or file, and it makes the version UNAVAILABLE.
/// </summary>
internal static class TaskPipelines
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <param name="repositoryModel">Another model of the repository by name, for pipelines that call a second model.</param>
    /// <returns>Null when the config has no pipeline section (the version serves the V2 APIs only).</returns>
    public static ITaskPipeline? Build(ModelVersion version, Func<string, ModelEntry?> repositoryModel)
    {
        if (version.Config.Pipeline is null)
        {
            return null;
        }

        var kind = KindOf(version.Config);
        return kind switch
        {
            PipelineKinds.ImageClassifier => ImageClassifier.Build(version),
            PipelineKinds.ImageEmbedder => ImageEmbedder.Build(version),
            PipelineKinds.TextClassifier => TextClassifier.Build(version, repositoryModel),
            PipelineKinds.TextEmbedder => TextEmbedder.Build(version),
            PipelineKinds.Recommender => Recommender.Build(version),
            _ => throw Misconfigured(version, $"pipeline.kind must be one of {PipelineKinds.ImageClassifier}, {PipelineKinds.ImageEmbedder}, {PipelineKinds.TextClassifier}, {PipelineKinds.TextEmbedder}, {PipelineKinds.Recommender}; got {(kind is null ? "none" : "'" + kind + "'")}"),
        };
    }

    /// <summary>The <c>pipeline.kind</c> a config declares, or null.</summary>
    public static string? KindOf(ModelConfig? config) =>
        config?.Pipeline is { ValueKind: JsonValueKind.Object } section && section.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String ? kind.GetString() : null;

    public static T ReadConfig<T>(ModelVersion model)
    {
        try
        {
            return model.Config.Pipeline is { } section
                ? section.Deserialize<T>(Json) ?? throw Misconfigured(model, "the pipeline section is null")
                : throw Misconfigured(model, "there is no pipeline section");
        }
        catch (JsonException e)
        {
            throw Misconfigured(model, $"pipeline{e.Path?.TrimStart('$')}: {e.Message}");
        }
    }

    /// <summary>One entry per line (line n = entry n; trailing blank lines ignored), from a file in the version folder.</summary>
    public static IReadOnlyList<string> ReadLines(ModelVersion model, string file, string field)
    {
        var path = Path.Combine(model.Directory, file);
        if (Path.GetFileName(file) != file || !File.Exists(path))
        {
            throw Misconfigured(model, $"pipeline.{field} names '{file}', which is not a file in {model.Directory}");
        }

        var lines = File.ReadAllLines(path).Select(l => l.Trim()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines.Count > 0 ? lines : throw Misconfigured(model, $"pipeline.{field} names '{file}', which is empty");
    }

    /// <summary>The output a classifier reads: the one named logits, else the first.</summary>
    public static TensorConfig LogitsOutput(ModelConfig config) => config.Outputs.FirstOrDefault(o => o.Name == "logits") ?? config.Outputs[0];

    public static PipelineException Misconfigured(ModelVersion model, string problem) =>
        new(PipelineErrorKind.Misconfigured, $"Model '{model.Name}' version {model.Version} has an unusable task pipeline: {problem}.");

    public static string Dims(IEnumerable<long> dims) => "[" + string.Join(",", dims) + "]";
}

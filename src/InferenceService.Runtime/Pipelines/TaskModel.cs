using System.Runtime.CompilerServices;
using System.Text.Json;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// Finds the model a task endpoint names and reads its <c>pipeline</c> section (and side files) once per loaded
/// version; a reloaded version is a new object, so its cache entry goes with the old one.
/// </summary>
public static class TaskModel
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    private static readonly ConditionalWeakTable<ModelVersion, object> Cache = [];

    /// <summary>
    /// A lease on the newest ready version of a model a task needs by name (resnet18, minilm), held for the whole request
    /// as V2 infer holds one: a hot swap retires the version only after the request is done. 404 when the repository
    /// lacks it, 503 while it is not ready.
    /// </summary>
    public static ModelLease Require(ModelManager manager, string name)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return manager.Acquire(name, null, out var lookup, out var error) ?? throw lookup switch
        {
            ModelLookup.NotFound => PipelineException.NotFound(error + " This endpoint needs it in the model repository."),
            _ => Unavailable(error),
        };
    }

    /// <summary>A lease on the newest ready version of <paramref name="name"/> whose pipeline kind is <paramref name="kind"/>; 404 otherwise, listing the models that fit.</summary>
    public static ModelLease Find(ModelManager manager, string name, string kind)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var lease = manager.Acquire(name, null, out var lookup, out var error);
        if (lease is null && lookup != ModelLookup.NotFound)
        {
            throw Unavailable(error);
        }

        if (lease is null || KindOf(lease.Version.Config) != kind)
        {
            var config = lease?.Version.Config;
            lease?.Dispose();
            var fitting = manager.Models.Values.Where(m => KindOf(m.Config) == kind).Select(m => m.Name).ToList();
            var available = fitting.Count == 0 ? "none is loaded" : "available: " + string.Join(", ", fitting);
            throw PipelineException.NotFound(config is null
                ? $"Unknown model '{name}'. Models with pipeline kind '{kind}': {available}."
                : $"Model '{name}' does not serve this endpoint: its config.json has no pipeline of kind '{kind}'. Models of that kind: {available}.");
        }

        return lease;
    }

    /// <summary>The parsed pipeline section plus whatever <paramref name="load"/> reads beside it, cached per version.</summary>
    public static T Get<T>(ModelVersion model, Func<ModelVersion, T> load)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(load);
        if (Cache.TryGetValue(model, out var cached) && cached is T hit)
        {
            return hit;
        }

        // Loading twice under a race is harmless (same files, same result); a failure is not cached, so a fixed file is picked up.
        var value = load(model);
        Cache.AddOrUpdate(model, value);
        return value;
    }

    public static T ReadConfig<T>(ModelVersion model)
    {
        ArgumentNullException.ThrowIfNull(model);
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
        ArgumentNullException.ThrowIfNull(model);
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

        return lines;
    }

    public static PipelineException Misconfigured(ModelVersion model, string problem)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new PipelineException(PipelineErrorKind.Misconfigured, $"Model '{model.Name}' version {model.Version} is misconfigured for its task endpoint: {problem}.");
    }

    private static InferenceException Unavailable(string? error) =>
        new(InferenceErrorKind.Unavailable, error ?? "The model is not available.") { RetryAfterSeconds = 1 };

    private static string? KindOf(ModelConfig? config) =>
        config?.Pipeline is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
}

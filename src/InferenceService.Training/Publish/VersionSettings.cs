using System.Globalization;
using System.Text.Json.Nodes;

namespace InferenceService.Training.Publish;

/// <summary>
/// How publish splits a run's config: everything its <c>pipeline</c> says (normalisation, labels, item names, max
/// tokens, the backbone a head was trained on) belongs to the trained weights and goes to the version's own
/// <c>pipeline.json</c>, which the runtime merges over the model-level pipeline. The model-level
/// <c>config.json</c> is written only for a new model, with a pipeline that names just the kind, so a later version
/// never changes how an earlier one is served.
/// </summary>
internal static class VersionSettings
{
    public const string FileName = "pipeline.json";

    /// <summary>Pipeline kind of a classifier head over another model's embeddings.</summary>
    public const string HeadKind = "text-classifier";

    /// <summary>
    /// The version's <c>pipeline.json</c>: the run's pipeline, with a head's backbone version pinned (from the run,
    /// else the newest version of that backbone in <paramref name="repository"/>).
    /// </summary>
    public static JsonObject ForVersion(ModelConfig run, string repository)
    {
        ArgumentNullException.ThrowIfNull(run);
        var pipeline = run.Pipeline.DeepClone().AsObject();
        if ((string?)pipeline["kind"] == HeadKind && pipeline["embedding_model_version"] is null)
        {
            var backbone = (string?)pipeline["embedding_model"] ?? "minilm";
            pipeline["embedding_model_version"] = NewestVersion(Path.Combine(repository, backbone))
                ?? throw new InvalidOperationException(
                    $"The run is a head over '{backbone}' but says neither which version of it it was trained on (pipeline.embedding_model_version) " +
                    $"nor is there a version of it in {repository}; a head must name its backbone version so a new backbone never silently feeds it.");
        }

        return pipeline;
    }

    /// <summary>The model-level config for a model published for the first time: the run's, with only the pipeline's kind.</summary>
    public static ModelConfig ForNewModel(ModelConfig run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var model = new JsonObject();
        if (run.Pipeline["kind"] is { } kind)
        {
            model["kind"] = kind.DeepClone();
        }

        return run with { Pipeline = model };
    }

    /// <summary>The backbone version a folder name such as models/minilm/1 stands for, or null.</summary>
    public static long? VersionOfFolder(string versionFolder) =>
        long.TryParse(Path.GetFileName(Path.TrimEndingDirectorySeparator(versionFolder)), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null;

    private static long? NewestVersion(string modelFolder)
    {
        if (!Directory.Exists(modelFolder))
        {
            return null;
        }

        var versions = Directory.EnumerateDirectories(modelFolder).Select(VersionOfFolder).OfType<long>().ToList();

        // A provisioned model (minilm) serves version 1 before its folder is downloaded.
        if (versions.Count == 0 && File.Exists(Path.Combine(modelFolder, "provision.json")))
        {
            return 1;
        }

        return versions.Count == 0 ? null : versions.Max();
    }
}

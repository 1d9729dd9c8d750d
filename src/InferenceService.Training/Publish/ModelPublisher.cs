using System.Globalization;
using System.Text;
using InferenceService.Training.Datasets;
using InferenceService.Training.Export;
using InferenceService.Training.Reports;

namespace InferenceService.Training.Publish;

/// <summary>
/// Publishes a verified run as the next version of a repository model. The version folder is assembled under a
/// temporary name beside its final place and renamed, so the runtime never sees a half-written version; existing
/// versions and an existing model-level config.json are never touched (the version's settings go to its own
/// pipeline.json, see <see cref="VersionSettings"/>).
/// </summary>
internal static class ModelPublisher
{
    /// <summary>Files copied from the run folder into the version folder when present.</summary>
    /// (The version's pipeline.json is not copied: publish writes it from the run's config, see VersionSettings.)
    private static readonly string[] VersionFiles = [RunFiles.Onnx, RunFiles.Labels, RunFiles.Metrics, RunFiles.Card, "items.txt", RunFiles.Confusion, "skipped.txt"];

    public static PublishResult Publish(string runFolder, string repository, string name)
    {
        var parity = RunVerifier.Verify(runFolder);
        if (!parity.Passed)
        {
            throw new InvalidOperationException(
                $"Refusing to publish {runFolder}: ONNX Runtime and TorchSharp disagree, max |diff| {parity.MaxAbsDiff:E3} > {parity.Tolerance:E0} ({parity}).");
        }

        var config = ModelConfig.FromJson(File.ReadAllText(Path.Combine(runFolder, RunFiles.Config)));
        var settings = VersionSettings.ForVersion(config, repository);
        var modelFolder = Path.Combine(repository, name);
        Directory.CreateDirectory(modelFolder);
        var version = NextVersion(modelFolder);
        var temp = Path.Combine(modelFolder, $".{version}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            var manifest = new StringBuilder();
            foreach (var file in VersionFiles)
            {
                var source = Path.Combine(runFolder, file);
                if (!File.Exists(source))
                {
                    continue;
                }

                File.Copy(source, Path.Combine(temp, file));
                PublishFaults.At(PublishFaults.Staging);
                manifest.Append(CultureInfo.InvariantCulture, $"{DataFetcher.Sha256Of(source)}  {file}\n");
            }

            // The version's own settings: what its weights were trained with, merged over config.json's pipeline.
            var settingsPath = Path.Combine(temp, VersionSettings.FileName);
            File.WriteAllText(settingsPath, settings.ToJsonString(ModelConfig.JsonOptions));
            manifest.Append(CultureInfo.InvariantCulture, $"{DataFetcher.Sha256Of(settingsPath)}  {VersionSettings.FileName}\n");

            File.WriteAllText(Path.Combine(temp, "sha256"), manifest.ToString());

            // config.json describes the model, not a version: written for a new model only, never edited (an operator
            // may have tuned it, and older versions are served by it). Written atomically so a reader sees none or all,
            // and before the version appears: a version with no config.json would be served with a config completed from
            // the graph alone, without its pipeline.
            var configPath = Path.Combine(modelFolder, "config.json");
            if (!File.Exists(configPath))
            {
                var configTemp = Path.Combine(modelFolder, ".config.json.tmp-" + Guid.NewGuid().ToString("N"));
                File.WriteAllText(configTemp, VersionSettings.ForNewModel(config).ToJson());
                File.Move(configTemp, configPath, overwrite: false);
            }

            var target = Path.Combine(modelFolder, version.ToString(CultureInfo.InvariantCulture));
            Directory.Move(temp, target);
            PublishFaults.At(PublishFaults.Renamed);

            return new PublishResult(target, version, parity);
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    /// <summary>Max existing numeric version + 1 (1 for a new model).</summary>
    public static int NextVersion(string modelFolder) =>
        Directory.EnumerateDirectories(modelFolder)
            .Select(Path.GetFileName)
            .Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
            .DefaultIfEmpty(0)
            .Max() + 1;
}

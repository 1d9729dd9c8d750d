using System.Text.Json.Nodes;
using InferenceService.Training.Commands;
using InferenceService.Training.Datasets;
using InferenceService.Training.Models;
using InferenceService.Training.Publish;
using InferenceService.Training.Reports;

namespace InferenceService.Training.Tests.Publish;

/// <summary>
/// Publish writes a version's settings into its own folder (pipeline.json) and never edits an existing model-level
/// config.json, so publishing (or failing to publish) a version never changes how an older one is served.
/// </summary>
public sealed class PublishSettingsTests
{
    [Fact]
    public void Publish_NewModelThenNextVersion_SettingsInVersionFoldersConfigWrittenOnce()
    {
        var (run, model) = TrainRecommender(seed: 1);
        var repository = TestPaths.NewTempFolder();
        var configPath = Path.Combine(repository, "recommender", "config.json");

        var first = ModelPublisher.Publish(run, repository, "recommender");
        var created = JsonNode.Parse(File.ReadAllText(configPath))!;

        // An operator tunes the model-level config; the next publish must keep it as it is.
        var tuned = File.ReadAllText(configPath).Replace("\"instance_count\": 1", "\"instance_count\": 2", StringComparison.Ordinal);
        File.WriteAllText(configPath, tuned);
        var second = ModelPublisher.Publish(run, repository, "recommender");

        Assert.Equal(new JsonObject { ["kind"] = "recommender" }.ToJsonString(), created["pipeline"]!.ToJsonString());
        Assert.Equal(tuned, File.ReadAllText(configPath));
        foreach (var version in new[] { first.VersionFolder, second.VersionFolder })
        {
            var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(version, VersionSettings.FileName)))!;
            Assert.Equal(model.Config.Pipeline.ToJsonString(), settings.ToJsonString());
            Assert.Contains(File.ReadAllLines(Path.Combine(version, "sha256")), l => l == $"{DataFetcher.Sha256Of(Path.Combine(version, VersionSettings.FileName))}  {VersionSettings.FileName}");
        }
    }

    [Fact]
    public void Publish_FailingParityGate_LeavesModelConfigAndVersionsUntouched()
    {
        var (run, _) = TrainRecommender(seed: 1);
        var repository = TestPaths.NewTempFolder();
        ModelPublisher.Publish(run, repository, "recommender");
        var before = Snapshot(Path.Combine(repository, "recommender"));

        // Another run's export under this run's weights: the parity gate fails.
        var (other, _) = TrainRecommender(seed: 99);
        File.Copy(Path.Combine(other, RunFiles.Onnx), Path.Combine(run, RunFiles.Onnx), overwrite: true);
        Assert.Throws<InvalidOperationException>(() => ModelPublisher.Publish(run, repository, "recommender"));

        Assert.Equal(before, Snapshot(Path.Combine(repository, "recommender")));
    }

    [Fact]
    public void ForVersion_HeadWithoutPin_PinsNewestBackboneVersionInRepository()
    {
        var repository = TestPaths.NewTempFolder();
        Directory.CreateDirectory(Path.Combine(repository, "minilm", "1"));
        Directory.CreateDirectory(Path.Combine(repository, "minilm", "2"));

        var settings = VersionSettings.ForVersion(SpamTrainer.Config(miniLmVersion: null), repository);

        Assert.Equal(2, settings["embedding_model_version"]!.GetValue<long>());
        Assert.Equal("minilm", settings["embedding_model"]!.GetValue<string>());
    }

    [Fact]
    public void ForVersion_HeadTrainedOnKnownVersion_KeepsItsPin()
    {
        var repository = TestPaths.NewTempFolder();
        Directory.CreateDirectory(Path.Combine(repository, "minilm", "2"));

        var settings = VersionSettings.ForVersion(SpamTrainer.Config(VersionSettings.VersionOfFolder(Path.Combine("models", "minilm", "1"))), repository);

        Assert.Equal(1, settings["embedding_model_version"]!.GetValue<long>());
    }

    [Fact]
    public void ForVersion_ProvisionedBackboneNotDownloaded_PinsVersion1()
    {
        var repository = TestPaths.NewTempFolder();
        Directory.CreateDirectory(Path.Combine(repository, "minilm"));
        File.WriteAllText(Path.Combine(repository, "minilm", "provision.json"), "{}");

        Assert.Equal(1, VersionSettings.ForVersion(SpamTrainer.Config(miniLmVersion: null), repository)["embedding_model_version"]!.GetValue<long>());
    }

    [Fact]
    public void ForVersion_HeadWithoutPinAndNoBackbone_RefusesNamingTheField()
    {
        var error = Assert.Throws<InvalidOperationException>(() => VersionSettings.ForVersion(SpamTrainer.Config(miniLmVersion: null), TestPaths.NewTempFolder()));

        Assert.Contains("pipeline.embedding_model_version", error.Message, StringComparison.Ordinal);
    }

    private static (string Run, TrainedModel Model) TrainRecommender(int seed)
    {
        var run = Path.Combine(TestPaths.NewTempFolder(), "run");
        var model = FamilyTrainer.Train(TrainSettings.Defaults(Families.Recommender) with { Epochs = 1, Seed = seed, CacheDir = TestPaths.Cache }, new QuietObserver(TextWriter.Null));
        RunWriter.Write(model, run);
        return (run, model);
    }

    /// <summary>Every folder and file under the model folder (hidden ones included), files with their sha256.</summary>
    private static SortedDictionary<string, string> Snapshot(string folder)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories))
        {
            entries[Path.GetRelativePath(folder, dir)] = "folder";
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            entries[Path.GetRelativePath(folder, file)] = DataFetcher.Sha256Of(file);
        }

        return entries;
    }
}

using System.Security.Cryptography;
using InferenceService.Training.Commands;
using InferenceService.Training.Models;
using InferenceService.Training.Publish;
using InferenceService.Training.Reports;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Training.Tests.Publish;

/// <summary>
/// Each family through train (1 epoch on a subset of the real data) → export → verify → publish into a temp
/// repository, twice, so the second publish must become version 2 beside an untouched version 1.
/// </summary>
[Trait("Category", "Training")]
public sealed class EndToEndTests
{
    [Fact]
    public void TrainVerifyPublish_MnistSubset_PublishesVerifiedVersions() =>
        RunFamily(TrainSettings.Defaults(Families.Mnist) with { Epochs = 1, Limit = 2000, CacheDir = TestPaths.Cache }, "labels.txt");

    [Fact]
    public void TrainVerifyPublish_FashionMnistSubset_PublishesVerifiedVersions() =>
        RunFamily(TrainSettings.Defaults(Families.FashionMnist) with { Epochs = 1, Limit = 2000, CacheDir = TestPaths.Cache }, "labels.txt");

    [Fact]
    public void TrainVerifyPublish_SpamSubset_PublishesVerifiedVersions() =>
        RunFamily(TrainSettings.Defaults(Families.Spam) with { Epochs = 1, Limit = 60, CacheDir = TestPaths.NewTempFolder(), MiniLmDir = TestPaths.MiniLm() }, "labels.txt",
            cacheData: TestPaths.Cache);

    [Fact]
    public void TrainVerifyPublish_RecommenderSynthetic_PublishesVerifiedVersions() =>
        RunFamily(TrainSettings.Defaults(Families.Recommender) with { Epochs = 1, CacheDir = TestPaths.Cache }, null);

    [Fact]
    public void TrainVerifyPublish_MovieLensFile_PublishesItemNames()
    {
        var root = TestPaths.NewTempFolder();
        var ratings = Path.Combine(root, "ratings.dat");
        var random = new Random(5);
        File.WriteAllLines(ratings, Enumerable.Range(0, 60).SelectMany(u =>
            Enumerable.Range(0, 8).Select(k => $"u{u}::m{random.Next(40)}::4::{1000 + k}")));
        var settings = TrainSettings.Defaults(Families.Recommender) with { Epochs = 1, RatingsFile = ratings, CacheDir = TestPaths.Cache };

        var model = FamilyTrainer.Train(settings, new QuietObserver(TextWriter.Null));
        RunWriter.Write(model, Path.Combine(root, "run"));
        var result = ModelPublisher.Publish(Path.Combine(root, "run"), Path.Combine(root, "models"), "movies");

        var items = File.ReadAllLines(Path.Combine(result.VersionFolder, "items.txt"));
        Assert.Equal(model.Config.Outputs[0].Dims[0], items.Length);
        Assert.All(items, name => Assert.StartsWith("m", name, StringComparison.Ordinal));
        Assert.Equal("items.txt", model.Config.Pipeline["item_names"]!.GetValue<string>());
        ConfigContract.AssertMatchesOnnx(Path.Combine(root, "models", "movies"));
    }

    [Fact]
    public void Publish_TamperedOnnx_RefusesWithFigure()
    {
        var run = Path.Combine(TestPaths.NewTempFolder(), "run");
        var model = FamilyTrainer.Train(TrainSettings.Defaults(Families.Recommender) with { Epochs = 1, CacheDir = TestPaths.Cache }, new QuietObserver(TextWriter.Null));
        RunWriter.Write(model, run);

        // Swap in another family's export: the graph no longer matches the weights.
        var other = FamilyTrainer.Train(TrainSettings.Defaults(Families.Recommender) with { Epochs = 1, Seed = 99, CacheDir = TestPaths.Cache }, new QuietObserver(TextWriter.Null));
        RunWriter.Write(other, run + "-other");
        File.Copy(Path.Combine(run + "-other", RunFiles.Onnx), Path.Combine(run, RunFiles.Onnx), overwrite: true);
        var repository = TestPaths.NewTempFolder();

        var error = Assert.Throws<InvalidOperationException>(() => ModelPublisher.Publish(run, repository, "recommender"));

        Assert.Contains("max |diff|", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(repository, "recommender", "1")));
    }

    private static void RunFamily(TrainSettings settings, string? labels, string? cacheData = null)
    {
        var root = TestPaths.NewTempFolder();
        var run = Path.Combine(root, "run");
        var repository = Path.Combine(root, "models");
        if (cacheData is not null)
        {
            // Data comes from the shared cache; embeddings go to a fresh cache so the test really runs MiniLM.
            Directory.CreateSymbolicLink(Path.Combine(settings.CacheDir, "data"), Path.Combine(cacheData, "data"));
            Directory.CreateSymbolicLink(Path.Combine(settings.CacheDir, "npm"), Path.Combine(cacheData, "npm"));
        }

        var model = FamilyTrainer.Train(settings, new QuietObserver(TextWriter.Null));
        var parity = RunWriter.Write(model, run);

        Assert.True(parity.Passed, parity.ToString());
        foreach (var file in new[] { RunFiles.Onnx, RunFiles.Metrics, RunFiles.Card, "loss.png", "metric.png", RunFiles.Config })
        {
            Assert.True(File.Exists(Path.Combine(run, file)), $"run folder lacks {file}");
        }

        Assert.Contains("train " + settings.Family, File.ReadAllText(Path.Combine(run, RunFiles.Card)), StringComparison.Ordinal);

        var first = ModelPublisher.Publish(run, repository, settings.Family);
        var second = ModelPublisher.Publish(run, repository, settings.Family);

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        Assert.True(second.Parity.Passed, second.Parity.ToString());
        var version = second.VersionFolder;
        Assert.True(File.Exists(Path.Combine(version, "model.onnx")));
        Assert.True(File.Exists(Path.Combine(version, "MODEL_CARD.md")));
        if (labels is not null)
        {
            Assert.True(File.Exists(Path.Combine(version, labels)));
        }

        foreach (var line in File.ReadAllLines(Path.Combine(version, "sha256")))
        {
            var parts = line.Split("  ");
            using var stream = File.OpenRead(Path.Combine(version, parts[1]));
            Assert.Equal(parts[0], Convert.ToHexStringLower(SHA256.HashData(stream)));
        }

        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(repository, settings.Family), ".*"));
        ConfigContract.AssertMatchesOnnx(Path.Combine(repository, settings.Family));
    }
}

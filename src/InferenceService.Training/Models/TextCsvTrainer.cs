using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using InferenceService.Training.Datasets;
using InferenceService.Training.Export;
using InferenceService.Training.Publish;
using InferenceService.Training.Reports;

namespace InferenceService.Training.Models;

/// <summary>
/// <c>train text-csv</c>: the spam recipe for any labels. MiniLM embeddings as the text endpoints compute them (cached),
/// a stratified split, a <see cref="SpamHead"/> with early stopping, exported as a head whose pipeline names its
/// embedding model and the version it was trained on (spam's config with this label count).
/// </summary>
internal static class TextCsvTrainer
{
    public static TrainedModel Train(TrainSettings settings, ITrainingObserver observer)
    {
        var clock = Stopwatch.StartNew();
        var source = settings.Source ?? throw new ArgumentException("train text-csv needs a CSV file.", nameof(settings));
        var items = TextCsv.Load(source);
        items.Check(source);
        var texts = items.Items;
        var embeddings = EmbeddingCache.GetOrCompute(settings.CacheDir, settings.MiniLmDir, SpamTrainer.MaxTokens, texts, () =>
        {
            using var embedder = new MiniLmEmbedder(settings.MiniLmDir, SpamTrainer.MaxTokens, settings.Threads);
            observer.EpochStarted(0, settings.Epochs, texts.Count);
            var embedded = embedder.Embed(texts, progress: n =>
            {
                for (var i = 0; i < n; i++)
                {
                    observer.StepDone(0);
                }
            });
            observer.EpochDone(new EpochRecord(0, 0, 0, clock.Elapsed.TotalSeconds));
            return embedded;
        });
        var embedSeconds = clock.Elapsed.TotalSeconds;
        var split = StratifiedSplit.Create(items.LabelIndex, items.Labels.Count, settings.Seed);
        var data = new EmbeddedExamples(embeddings, items.LabelIndex, items.Labels, MiniLmEmbedder.Dimensions);
        var head = EmbeddingHeadTrainer.Train(settings, data, split, observer);
        string dataHash;
        using (var stream = File.OpenRead(source))
        {
            dataHash = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        var wall = clock.Elapsed.TotalSeconds;
        var embeddingVersion = VersionSettings.VersionOfFolder(Path.GetFullPath(settings.MiniLmDir));
        var description = $"{source}: {texts.Count} texts in {items.Labels.Count} labels " +
            $"({string.Join(", ", items.Labels.Select((l, i) => $"{l} {items.LabelIndex.Count(x => x == i)}"))}); " +
            $"minilm version {embeddingVersion?.ToString(CultureInfo.InvariantCulture) ?? "(the newest when published)"} embeddings (max {SpamTrainer.MaxTokens} tokens, mean-pooled, L2-normalised); " +
            $"stratified split with seed {settings.Seed}: {split.Train.Length} train, {split.Validation.Length} validation (early stopping), {split.HeldOut.Length} held out.";
        var config = SpamTrainer.Config(embeddingVersion, items.Labels.Count);
        return new TrainedModel
        {
            Settings = settings,
            Module = head.Model,
            Probe = new SpamHeadProbe(head.Model),
            Onnx = SpamHeadExporter.Export(head.Model, ImageFolderTrainer.Metadata(settings, head, dataHash, description)),
            Config = config,
            Architecture = new JsonObject { ["inputs"] = MiniLmEmbedder.Dimensions, ["hidden"] = settings.Hidden, ["classes"] = items.Labels.Count },
            Metrics = ImageFolderTrainer.HeadMetrics(head, split, embedSeconds, wall, dataHash),
            DataDescription = description,
            DataHash = dataHash,
            MetricName = "validation loss",
            Labels = items.Labels,
            ConfusionMatrix = head.HeldOut.Confusion,
            Curve = head.Curve,
            WallSeconds = wall,
        };
    }
}

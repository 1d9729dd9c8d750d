using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using InferenceService.Training.Datasets;
using InferenceService.Training.Export;
using InferenceService.Training.Publish;
using InferenceService.Training.Reports;

namespace InferenceService.Training.Models;

/// <summary>
/// <c>train image-folder</c>: backbone embeddings of every image (cached by file hash), a stratified split, a head
/// trained with early stopping, exported as one graph (backbone + head) that the image-classifier pipeline serves.
/// </summary>
internal static class ImageFolderTrainer
{
    public const string SkippedFile = "skipped.txt";

    public static TrainedModel Train(TrainSettings settings, ITrainingObserver observer)
    {
        var clock = Stopwatch.StartNew();
        var source = settings.Source ?? throw new ArgumentException("train image-folder needs a folder.", nameof(settings));
        var scanned = ImageFolder.Scan(source);
        scanned.Check(source);
        var backbone = Backbone.Open(settings.BackboneDir);
        using var embedder = new BackboneEmbedder(backbone, settings.Threads);
        var cache = new ImageEmbeddingCache(settings.CacheDir, backbone.Key(), backbone.Features);
        var embeddings = new ImageFolderEmbeddings(embedder, cache, observer);

        observer.EpochStarted(0, settings.Epochs, scanned.Items.Count);
        var vectors = embeddings.Embed(scanned.Items, ImageAugmentation.None);
        observer.EpochDone(new EpochRecord(0, 0, 0, clock.Elapsed.TotalSeconds));

        var usable = Enumerable.Range(0, vectors.Length).Where(i => vectors[i] is not null).ToArray();
        var items = new LabelledItems([.. usable.Select(i => scanned.Items[i])], [.. usable.Select(i => scanned.LabelIndex[i])], scanned.Labels);
        items.Check(embeddings.Skipped.Count == 0 ? source : $"{source} (after skipping {embeddings.Skipped.Count} unreadable images)");
        var split = StratifiedSplit.Create(items.LabelIndex, items.Labels.Count, settings.Seed);
        var augmented = new Dictionary<int, IReadOnlyList<float[]>>();
        if (settings.Augment)
        {
            var trainFiles = split.Train.Select(i => items.Items[i]).ToArray();
            var extra = new List<float[]?[]>();
            foreach (var augmentation in new[] { ImageAugmentation.Flip, ImageAugmentation.Crop })
            {
                observer.EpochStarted(0, settings.Epochs, trainFiles.Length);
                extra.Add(embeddings.Embed(trainFiles, augmentation));
                observer.EpochDone(new EpochRecord(0, 0, 0, clock.Elapsed.TotalSeconds));
            }

            for (var k = 0; k < split.Train.Length; k++)
            {
                augmented[split.Train[k]] = [.. extra.Select(e => e[k]).OfType<float[]>()];
            }
        }

        var embedSeconds = clock.Elapsed.TotalSeconds;
        var data = new EmbeddedExamples([.. usable.Select(i => vectors[i]!)], items.LabelIndex, items.Labels, backbone.Features) { Augmented = augmented };
        var head = EmbeddingHeadTrainer.Train(settings, data, split, observer);
        var dataHash = DataHash(items, embeddings.Hashes);
        var wall = clock.Elapsed.TotalSeconds;

        var description = $"{source}: {items.Items.Count} images in {items.Labels.Count} labels " +
            $"({string.Join(", ", items.Labels.Select((l, i) => $"{l} {items.LabelIndex.Count(x => x == i)}"))})" +
            (embeddings.Skipped.Count > 0 ? $", {embeddings.Skipped.Count} unreadable images skipped (listed in {SkippedFile})" : string.Empty) +
            $"; {backbone.ModelName} version {backbone.Version} embeddings (L2-normalised){(settings.Augment ? ", training images also flipped and cropped" : string.Empty)}; " +
            $"stratified split with seed {settings.Seed}: {split.Train.Length} train, {split.Validation.Length} validation (early stopping), {split.HeldOut.Length} held out.";
        var metrics = HeadMetrics(head, split, embedSeconds, wall, dataHash);
        metrics["skipped_images"] = embeddings.Skipped.Count;
        metrics["backbone"] = $"{backbone.ModelName}/{backbone.Version}";
        var config = Config(backbone, items.Labels.Count);
        // The version's pipeline.json is written by publish from config.Pipeline; only the skipped list is extra.
        var extras = new Dictionary<string, string>();
        if (embeddings.Skipped.Count > 0)
        {
            extras[SkippedFile] = string.Join('\n', embeddings.Skipped.Select(s => $"{s.File}\t{s.Reason}")) + "\n";
        }

        return new TrainedModel
        {
            Settings = settings,
            Module = head.Model,
            Probe = new BackboneHeadProbe(head.Model, backbone),
            Onnx = BackboneHeadExporter.Export(backbone, head.Model, Metadata(settings, head, dataHash, description)),
            Config = config,
            Architecture = new JsonObject
            {
                ["inputs"] = backbone.Features,
                ["hidden"] = settings.Hidden,
                ["classes"] = items.Labels.Count,
                ["backbone"] = backbone.Folder,
            },
            Metrics = metrics,
            DataDescription = description,
            DataHash = dataHash,
            MetricName = "validation loss",
            Labels = items.Labels,
            ConfusionMatrix = head.HeldOut.Confusion,
            Curve = head.Curve,
            ExtraFiles = extras,
            WallSeconds = wall,
        };
    }

    public static JsonObject HeadMetrics(HeadRun head, StratifiedSplit split, double embedSeconds, double wall, string dataHash)
    {
        var json = head.HeldOut.ToJson();
        json["held_out_accuracy"] = Math.Round(head.HeldOut.Accuracy, 5);
        json["train_examples"] = head.TrainExamples;
        json["validation_examples"] = split.Validation.Length;
        json["held_out_examples"] = split.HeldOut.Length;
        json["best_epoch"] = head.BestEpoch;
        json["best_validation_loss"] = Math.Round(head.BestValidationLoss, 5);
        json["embedding_seconds"] = Math.Round(embedSeconds, 1);
        json["head_seconds"] = Math.Round(head.Seconds, 1);
        json["train_wall_seconds"] = Math.Round(wall, 1);
        json["data_sha256"] = dataHash;
        return json;
    }

    public static Dictionary<string, string> Metadata(TrainSettings settings, HeadRun head, string dataHash, string description) => new()
    {
        ["training.family"] = settings.Family,
        ["training.data"] = description,
        ["training.data_sha256"] = dataHash,
        ["training.held_out_accuracy"] = head.HeldOut.Accuracy.ToString("F5", CultureInfo.InvariantCulture),
        ["training.seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
        ["training.framework"] = "TorchSharp 0.107.0",
    };

    /// <summary>Image input as the backbone takes it; the backbone's own preprocessing; logits per label.</summary>
    public static ModelConfig Config(Backbone backbone, int classes) => new()
    {
        // The backbone's own batch cap: a 224×224 batch of 8 is already ~15 GFLOP on CPU.
        MaxBatchSize = 8,
        Inputs = [new TensorSpec(backbone.InputName, "FP32", [backbone.Image.Channels, backbone.Image.Height, backbone.Image.Width])],
        Outputs = [new TensorSpec(BackboneHeadExporter.OutputName, "FP32", [classes])],
        Pipeline = new JsonObject
        {
            ["kind"] = "image-classifier",
            ["labels"] = "labels.txt",
            ["image"] = backbone.ImageJson.DeepClone(),
            // Informational: the backbone is inside model.onnx, so no other model is called at serving time.
            ["backbone_model"] = backbone.ModelName,
            ["backbone_model_version"] = backbone.Version,
        },
    };

    /// <summary>SHA-256 over "label, file SHA-256" lines in a fixed order: the same images under the same labels hash alike.</summary>
    private static string DataHash(LabelledItems items, Dictionary<string, byte[]> hashes)
    {
        var lines = items.Items.Select((file, i) => $"{items.Labels[items.LabelIndex[i]]}\t{Convert.ToHexStringLower(hashes[file])}").Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    }
}

using System.Text.Json;
using InferenceService.Runtime.Pipelines;
using InferenceService.Runtime.Repository;
using InferenceService.Training.Datasets;
using InferenceService.Training.Models;
using InferenceService.Training.Publish;
using InferenceService.Training.Reports;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace InferenceService.Training.Tests.Heads;

/// <summary>
/// train image-folder on a generated folder (3 colours × 8 PNGs plus one corrupt file), trained once for the class:
/// held-out accuracy, the merged graph's parity, publish, and the published model's answer against the TorchSharp head.
/// </summary>
public sealed class ImageFolderTrainingTests(ImageFolderTrainingTests.Trained trained) : IClassFixture<ImageFolderTrainingTests.Trained>
{
    [Fact]
    public void Train_SeparableColours_HeldOutAllCorrect()
    {
        Assert.Equal(6, trained.Model.Metrics["held_out_examples"]!.GetValue<int>());
        Assert.Equal(1.0, trained.Model.Metrics["held_out_accuracy"]!.GetValue<double>());
    }

    [Fact]
    public void Train_CorruptFile_SkippedAndListed()
    {
        Assert.Equal(1, trained.Model.Metrics["skipped_images"]!.GetValue<int>());
        var skipped = File.ReadAllText(Path.Combine(trained.Run, ImageFolderTrainer.SkippedFile));
        Assert.Contains("broken.png", skipped, StringComparison.Ordinal);
        Assert.Contains("not a JPEG, PNG or WebP", skipped, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(trained.Published.VersionFolder, ImageFolderTrainer.SkippedFile)));
    }

    [Fact]
    public void Publish_VersionFolder_HoldsPipelineLabelsAndCard()
    {
        Assert.True(trained.Parity.Passed, trained.Parity.ToString());
        var version = trained.Published.VersionFolder;
        Assert.Equal(["blue", "green", "red"], File.ReadAllLines(Path.Combine(version, RunFiles.Labels)));
        var pipeline = JsonDocument.Parse(File.ReadAllText(Path.Combine(version, VersionSettings.FileName))).RootElement;
        Assert.Equal("image-classifier", pipeline.GetProperty("kind").GetString());
        Assert.Equal(1, pipeline.GetProperty("backbone_model_version").GetInt32());
        Assert.True(File.Exists(Path.Combine(version, RunFiles.Confusion)));
        var card = File.ReadAllText(Path.Combine(version, RunFiles.Card));
        Assert.Contains("| red |", card, StringComparison.Ordinal);
        Assert.Contains(trained.Model.DataHash!, card, StringComparison.Ordinal);
    }

    [Fact]
    public void Served_HeldOutImage_LogitsMatchTorchHead()
    {
        // As the runtime serves it: its config loader and validator, its decoder and preprocessing from the published
        // pipeline (config.json with the version's pipeline.json merged over it), the published graph in ONNX Runtime.
        var config = VersionPipelineSettings.Apply(ModelConfigLoader.Load(Path.Combine(trained.Repository, "colours")), trained.Published.VersionFolder);
        var pipeline = config.Pipeline!.Value.Deserialize<ImageClassifierConfig>(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
        var image = File.ReadAllBytes(Path.Combine(trained.Folder, "red", "001.png"));
        using var bitmap = ImageDecoder.Decode(image, 1_000_000);
        var pixels = ImagePreprocessor.ToChw(bitmap, pipeline.Image);
        using var session = new InferenceSession(Path.Combine(trained.Published.VersionFolder, RunFiles.Onnx));
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, pipeline.Image.Height, pipeline.Image.Width]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [config.Inputs[0].Name], [input], ["logits"]);
        var served = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        using var embedder = new BackboneEmbedder(Backbone.Open(trained.Model.Settings.BackboneDir), 1);
        var embedded = new float[embedder.PixelsPerImage];
        embedder.Preprocess(image, "red/001.png", ImageAugmentation.None, embedded);
        using var noGrad = no_grad();
        using var x = EmbeddingHeadTrainer.Stack(embedder.Embed(embedded, 1), 512);
        var head = (SpamHead)trained.Model.Module;
        head.eval();
        var expected = head.forward(x).data<float>().ToArray();

        Assert.Equal(3, served.Length);
        Assert.All(served.Zip(expected), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-4, $"served {p.First} vs TorchSharp {p.Second}"));
        Assert.Equal(2, Array.IndexOf(served, served.Max()));
    }

    [Fact]
    public void Train_OneLabel_RefusesWithReason()
    {
        var folder = GeneratedImages.Write(6, labels: [GeneratedImages.Colours[0]]);

        var error = Assert.Throws<TrainingDataException>(() => ImageFolderTrainer.Train(Settings(folder), new QuietObserver(TextWriter.Null)));

        Assert.Contains("only one label ('blue')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_LabelWithFourImages_RefusesNamingIt()
    {
        var folder = GeneratedImages.Write(6);
        File.Delete(Path.Combine(folder, "green", "000.png"));
        File.Delete(Path.Combine(folder, "green", "001.png"));

        var error = Assert.Throws<TrainingDataException>(() => ImageFolderTrainer.Train(Settings(folder), new QuietObserver(TextWriter.Null)));

        Assert.Contains("'green' has 4", error.Message, StringComparison.Ordinal);
    }

    private static TrainSettings Settings(string folder) => TrainSettings.Defaults(Families.ImageFolder) with
    {
        Source = folder,
        CacheDir = TestPaths.NewTempFolder(),
        Threads = 2,
    };

    /// <summary>One training run, written and published, shared by the tests above.</summary>
    public sealed class Trained
    {
        public Trained()
        {
            Folder = GeneratedImages.Write(8);
            File.WriteAllText(Path.Combine(Folder, "red", "broken.png"), "not an image");
            Model = ImageFolderTrainer.Train(Settings(Folder), new QuietObserver(TextWriter.Null));
            Run = Path.Combine(TestPaths.NewTempFolder(), "run");
            Parity = RunWriter.Write(Model, Run);
            Repository = TestPaths.NewTempFolder();
            Published = ModelPublisher.Publish(Run, Repository, "colours");
        }

        internal string Folder { get; }

        internal TrainedModel Model { get; }

        internal string Run { get; }

        internal InferenceService.Training.Export.ParityReport Parity { get; }

        internal string Repository { get; }

        internal PublishResult Published { get; }
    }
}

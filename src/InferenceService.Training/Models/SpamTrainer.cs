using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using InferenceService.Training.Datasets;
using InferenceService.Training.Export;
using InferenceService.Training.Publish;
using TorchSharp;
using static TorchSharp.torch;

namespace InferenceService.Training.Models;

/// <summary>
/// Trains the spam head on MiniLM embeddings of the SpamAssassin corpus with a stratified 80/20 split
/// (the 20 % is held out and never seen in training).
/// </summary>
internal static class SpamTrainer
{
    /// <summary>Same cap as the text endpoint's max_tokens, so training sees the embeddings serving will compute.</summary>
    public const int MaxTokens = 256;
    public const int Hidden = 64;
    public const double HeldOutFraction = 0.2;

    public static TrainedModel Train(TrainSettings settings, IReadOnlyList<SpamMessage> corpus, ITrainingObserver observer)
    {
        var clock = Stopwatch.StartNew();
        torch.set_num_threads(settings.Threads);
        torch.manual_seed(settings.Seed);
        var messages = settings.Limit > 0 ? StratifiedTake(corpus, settings.Limit, settings.Seed) : corpus;
        var texts = messages.Select(m => m.Text).ToArray();
        var embeddings = EmbeddingCache.GetOrCompute(settings.CacheDir, settings.MiniLmDir, MaxTokens, texts, () =>
        {
            using var embedder = new MiniLmEmbedder(settings.MiniLmDir, MaxTokens, settings.Threads);
            observer.EpochStarted(0, settings.Epochs, texts.Length);
            var done = 0;
            var embedded = embedder.Embed(texts, progress: n =>
            {
                for (var i = 0; i < n; i++)
                {
                    observer.StepDone(0);
                }

                if ((done += n) % 512 < n)
                {
                    observer.Message($"embedded {done}/{texts.Length} messages");
                }
            });
            observer.EpochDone(new EpochRecord(0, 0, 0, clock.Elapsed.TotalSeconds));
            return embedded;
        });
        var embedSeconds = clock.Elapsed.TotalSeconds;

        var (trainIndex, testIndex) = StratifiedSplit(messages, HeldOutFraction, settings.Seed);
        using var trainX = Stack(embeddings, trainIndex);
        using var trainY = tensor(trainIndex.Select(i => messages[i].IsSpam ? 1L : 0L).ToArray());
        using var testX = Stack(embeddings, testIndex);
        var testY = testIndex.Select(i => messages[i].IsSpam ? 1L : 0L).ToArray();

        var model = new SpamHead(MiniLmEmbedder.Dimensions, Hidden);
        var optimizer = optim.AdamW(model.parameters(), settings.LearningRate, weight_decay: 1e-4);
        var (curve, metrics) = MiniBatchTraining.Run(model, optimizer, trainX, trainY, settings, observer, () => Evaluate(model, testX, testY), m => m.Accuracy);

        metrics ??= Evaluate(model, testX, testY);
        model.eval();
        var wall = clock.Elapsed.TotalSeconds;
        var json = metrics.ToJson();
        json["held_out_accuracy"] = Math.Round(metrics.Accuracy, 5);
        json["train_examples"] = trainIndex.Length;
        json["held_out_examples"] = testIndex.Length;
        json["max_tokens"] = MaxTokens;
        json["split_seed"] = settings.Seed;
        json["embedding_seconds"] = Math.Round(embedSeconds, 1);
        json["train_wall_seconds"] = Math.Round(wall, 1);
        var description = $"{NpmDataPackage.SpamAssassin.Name}@{NpmDataPackage.SpamAssassin.Version}: {messages.Count} messages " +
            $"({messages.Count(m => m.IsSpam)} spam), subject + body, MiniLM embeddings (max {MaxTokens} tokens, mean-pooled, L2-normalised); " +
            $"stratified {1 - HeldOutFraction:P0}/{HeldOutFraction:P0} split with seed {settings.Seed}.";
        return new TrainedModel
        {
            Settings = settings,
            Module = model,
            Probe = new SpamHeadProbe(model),
            Onnx = SpamHeadExporter.Export(model, new Dictionary<string, string>
            {
                ["training.family"] = settings.Family,
                ["training.data"] = description,
                ["training.held_out_accuracy"] = metrics.Accuracy.ToString("F5", CultureInfo.InvariantCulture),
                ["training.seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
                ["training.framework"] = "TorchSharp 0.107.0",
            }),
            Config = Config(VersionSettings.VersionOfFolder(settings.MiniLmDir)),
            Architecture = new JsonObject { ["inputs"] = MiniLmEmbedder.Dimensions, ["hidden"] = Hidden },
            Metrics = json,
            DataDescription = description,
            MetricName = "held-out accuracy",
            Labels = SpamAssassinCorpus.Labels,
            ConfusionMatrix = metrics.Confusion,
            Curve = curve,
            WallSeconds = wall,
        };
    }

    public static ClassificationMetrics Evaluate(SpamHead model, Tensor x, long[] y)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var predicted = model.forward(x).argmax(1).data<long>().ToArray();
        return new ClassificationMetrics(SpamAssassinCorpus.Labels, predicted, y);
    }

    /// <param name="miniLmVersion">The MiniLM version the head was trained on (the number of its folder), pinned so a newer MiniLM never feeds it; null: publish pins the newest in the repository.</param>
    /// <param name="classes">The head's label count: 2 for spam, any for <c>train text-csv</c>.</param>
    public static ModelConfig Config(long? miniLmVersion, int classes = 2)
    {
        var pipeline = new JsonObject
        {
            ["kind"] = "text-classifier",
            ["embedding_model"] = "minilm",
            ["labels"] = "labels.txt",
            ["max_tokens"] = MaxTokens,
        };
        if (miniLmVersion is { } version)
        {
            pipeline["embedding_model_version"] = version;
        }

        return new()
        {
            Inputs = [new TensorSpec(SpamHeadExporter.InputName, "FP32", [MiniLmEmbedder.Dimensions])],
            Outputs = [new TensorSpec(SpamHeadExporter.OutputName, "FP32", [classes])],
            Pipeline = pipeline,
        };
    }

    /// <summary>Per class, a seeded shuffle; the first <paramref name="fraction"/> of each class is held out.</summary>
    public static (int[] Train, int[] Test) StratifiedSplit(IReadOnlyList<SpamMessage> messages, double fraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        foreach (var isSpam in new[] { false, true })
        {
            var indices = Enumerable.Range(0, messages.Count).Where(i => messages[i].IsSpam == isSpam).ToArray();
            random.Shuffle(indices);
            var held = (int)Math.Round(indices.Length * fraction);
            test.AddRange(indices[..held]);
            train.AddRange(indices[held..]);
        }

        return ([.. train.Order()], [.. test.Order()]);
    }

    private static List<SpamMessage> StratifiedTake(IReadOnlyList<SpamMessage> corpus, int count, int seed)
    {
        var random = new Random(seed);
        var spamShare = corpus.Count(m => m.IsSpam) / (double)corpus.Count;
        var result = new List<SpamMessage>();
        foreach (var isSpam in new[] { false, true })
        {
            var pool = corpus.Where(m => m.IsSpam == isSpam).ToArray();
            random.Shuffle(pool);
            var take = (int)Math.Round(count * (isSpam ? spamShare : 1 - spamShare));
            result.AddRange(pool.Take(take));
        }

        return result;
    }

    private static Tensor Stack(float[][] embeddings, int[] index)
    {
        var flat = new float[index.Length * MiniLmEmbedder.Dimensions];
        for (var i = 0; i < index.Length; i++)
        {
            embeddings[index[i]].CopyTo(flat, i * MiniLmEmbedder.Dimensions);
        }

        return tensor(flat, [index.Length, MiniLmEmbedder.Dimensions]);
    }
}

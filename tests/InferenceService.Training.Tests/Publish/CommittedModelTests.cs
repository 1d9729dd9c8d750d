using System.Security.Cryptography;
using System.Text.Json.Nodes;
using InferenceService.Training.Datasets;
using InferenceService.Training.Models;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Training.Tests.Publish;

/// <summary>
/// The default models committed to models/ meet their targets on the real test data, through ONNX Runtime and the
/// preprocessing their config.json declares (what the service will do), not through TorchSharp.
/// </summary>
[Trait("Category", "Training")]
[Trait("Category", "Network")]
public sealed class CommittedModelTests
{
    [Theory]
    [InlineData(Families.Mnist)]
    [InlineData(Families.FashionMnist)]
    [InlineData(Families.Spam)]
    [InlineData(Families.Recommender)]
    public void CommittedModel_Files_MatchContractAndHashes(string name)
    {
        using var model = new RepositoryModel(name);

        ConfigContract.AssertMatchesOnnx(model.Folder);
        Assert.True(new FileInfo(Path.Combine(model.VersionFolder, "model.onnx")).Length < 5_000_000, "model.onnx must stay well under 5 MB");
        Assert.True(File.Exists(Path.Combine(model.VersionFolder, "MODEL_CARD.md")));
        foreach (var line in File.ReadAllLines(Path.Combine(model.VersionFolder, "sha256")))
        {
            var parts = line.Split("  ");
            using var stream = File.OpenRead(Path.Combine(model.VersionFolder, parts[1]));
            Assert.Equal(parts[0], Convert.ToHexStringLower(SHA256.HashData(stream)));
        }
    }

    [Fact]
    public void MnistModel_RealTestSplit_ReachesTarget() =>
        Assert.InRange(ImageAccuracy(Families.Mnist, MnistIdx.Load(new DataFetcher(TestPaths.Cache, TextWriter.Null)).Test), 0.992, 1.0);

    [Fact]
    public void FashionMnistModel_HeldOutSplit_ReachesTarget() =>
        Assert.InRange(ImageAccuracy(Families.FashionMnist, FashionMnistJson.Load(new DataFetcher(TestPaths.Cache, TextWriter.Null)).Test), 0.91, 1.0);

    [Fact]
    public void SpamModel_HeldOutSubset_ReachesTarget()
    {
        using var model = new RepositoryModel(Families.Spam);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(model.VersionFolder, "metrics.json")))!;
        var seed = metrics["split_seed"]!.GetValue<int>();
        var corpus = SpamAssassinCorpus.Load(new DataFetcher(TestPaths.Cache, TextWriter.Null));
        var (_, heldOut) = SpamTrainer.StratifiedSplit(corpus, SpamTrainer.HeldOutFraction, seed);

        // Every 6th held-out message (~200): MiniLM on CPU is too slow for all of them in CI.
        var subset = heldOut.Where((_, k) => k % 6 == 0).Select(i => corpus[i]).ToArray();
        using var embedder = new MiniLmEmbedder(TestPaths.MiniLm(), SpamTrainer.MaxTokens, 2);
        var embeddings = embedder.Embed([.. subset.Select(m => m.Text)]);
        var correct = 0;
        for (var i = 0; i < subset.Length; i++)
        {
            var logits = model.Run("embedding", embeddings[i], [1, MiniLmEmbedder.Dimensions], "logits");
            correct += (logits[1] > logits[0]) == subset[i].IsSpam ? 1 : 0;
        }

        Assert.InRange(correct / (double)subset.Length, 0.95, 1.0);
    }

    [Fact]
    public void RecommenderModel_SyntheticLeaveOneOut_DoublesPopularityHitRate()
    {
        using var model = new RepositoryModel(Families.Recommender);
        var data = SyntheticInteractions.Generate();
        Assert.Equal(data.Items, model.Config.Outputs[0].Dims[0]);
        var scores = new float[data.Users][];
        for (var start = 0; start < data.Users; start += 64)
        {
            var count = Math.Min(64, data.Users - start);
            var users = Enumerable.Range(start, count).Select(u => (long)u).ToArray();
            using var userValue = OrtValue.CreateTensorValueFromMemory(users, [count, 1]);
            using var itemValue = OrtValue.CreateTensorValueFromMemory(new long[count], [count, 1]);
            using var options = new RunOptions();
            using var results = model.Session.Run(options, ["user_ids", "item_ids"], [userValue, itemValue], ["user_scores"]);
            var flat = results[0].GetTensorDataAsSpan<float>();
            for (var k = 0; k < count; k++)
            {
                scores[start + k] = flat.Slice(k * data.Items, data.Items).ToArray();
            }
        }

        var popularity = data.TrainPopularity().Select(c => (float)c).ToArray();
        var learned = RankingMetrics.Compute(data.ByUser, u => scores[u]);
        var baseline = RankingMetrics.Compute(data.ByUser, _ => popularity);

        Assert.True(learned.HitRate >= 2 * baseline.HitRate, $"HR@10 {learned.HitRate:F4} vs popularity {baseline.HitRate:F4}");
    }

    private static double ImageAccuracy(string name, ImageSet test)
    {
        using var model = new RepositoryModel(name);
        var image = model.Config.Pipeline["image"]!;
        var scale = image["scale"]!.GetValue<double>();
        var mean = image["mean"]![0]!.GetValue<double>();
        var std = image["std"]![0]!.GetValue<double>();
        var batch = model.Config.MaxBatchSize;
        var correct = 0;
        for (var start = 0; start < test.Count; start += batch)
        {
            var count = Math.Min(batch, test.Count - start);
            var input = new float[count * test.ImageSize];
            for (var i = 0; i < input.Length; i++)
            {
                input[i] = (float)(((test.Pixels[(start * test.ImageSize) + i] * scale) - mean) / std);
            }

            var logits = model.Run("input", input, [count, 1, test.Height, test.Width], "logits");
            for (var k = 0; k < count; k++)
            {
                var row = logits.AsSpan(k * 10, 10);
                var predicted = row.IndexOf(row.ToArray().Max());
                correct += predicted == test.Labels[start + k] ? 1 : 0;
            }
        }

        return correct / (double)test.Count;
    }
}

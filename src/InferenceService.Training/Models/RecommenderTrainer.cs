using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using InferenceService.Training.Datasets;
using InferenceService.Training.Export;
using InferenceService.Training.Publish;
using TorchSharp;
using static TorchSharp.torch;

namespace InferenceService.Training.Models;

/// <summary>Trains <see cref="MatrixFactorization"/> on implicit feedback and scores it beside a popularity baseline.</summary>
internal static class RecommenderTrainer
{
    public const int Dimensions = 32;
    public const int PopularItems = 100;

    public static TrainedModel Train(TrainSettings settings, Interactions data, ITrainingObserver observer)
    {
        var clock = Stopwatch.StartNew();
        torch.set_num_threads(settings.Threads);
        torch.manual_seed(settings.Seed);
        var pairs = new List<(long User, long Item)>();
        for (var user = 0; user < data.Users; user++)
        {
            var history = data.ByUser[user];
            for (var k = 0; k < history.Length - 1; k++)
            {
                pairs.Add((user, history[k]));
            }
        }

        using var users = tensor(pairs.Select(p => p.User).ToArray());
        using var items = tensor(pairs.Select(p => p.Item).ToArray());
        var popularity = data.TrainPopularity();
        var popularityScores = popularity.Select(c => (float)c).ToArray();
        var baseline = RankingMetrics.Compute(data.ByUser, _ => popularityScores);

        var model = new MatrixFactorization(data.Users, data.Items, Dimensions);
        var optimizer = optim.AdamW(model.parameters(), settings.LearningRate, weight_decay: 0.05);
        var (curve, metrics) = MiniBatchTraining.Run(model, optimizer, users, items, settings, observer, () => Evaluate(model, data), m => m.HitRate);

        metrics ??= Evaluate(model, data);
        model.eval();
        var wall = clock.Elapsed.TotalSeconds;
        var popular = Enumerable.Range(0, data.Items).OrderByDescending(i => popularity[i]).ThenBy(i => i).Take(PopularItems).ToArray();
        var json = new JsonObject
        {
            ["hr_at_10"] = Math.Round(metrics.HitRate, 5),
            ["ndcg_at_10"] = Math.Round(metrics.Ndcg, 5),
            ["popularity_hr_at_10"] = Math.Round(baseline.HitRate, 5),
            ["popularity_ndcg_at_10"] = Math.Round(baseline.Ndcg, 5),
            ["hr_ratio_vs_popularity"] = Math.Round(metrics.HitRate / Math.Max(baseline.HitRate, 1e-9), 3),
            ["evaluated_users"] = metrics.Users,
            ["users"] = data.Users,
            ["items"] = data.Items,
            ["train_interactions"] = pairs.Count,
            ["train_wall_seconds"] = Math.Round(wall, 1),
        };
        var extra = new Dictionary<string, string>();
        var pipeline = new JsonObject
        {
            ["kind"] = "recommender",
            ["num_users"] = data.Users,
            ["num_items"] = data.Items,
            ["popular_items"] = new JsonArray([.. popular.Select(i => JsonValue.Create(i))]),
        };
        if (data.ItemNames is not null)
        {
            extra["items.txt"] = string.Join('\n', data.ItemNames) + "\n";
            pipeline["item_names"] = "items.txt";
        }

        return new TrainedModel
        {
            Settings = settings,
            Module = model,
            Probe = new MatrixFactorizationProbe(model),
            Onnx = RecommenderExporter.Export(model, new Dictionary<string, string>
            {
                ["training.family"] = settings.Family,
                ["training.data"] = data.Source,
                ["training.hr_at_10"] = metrics.HitRate.ToString("F5", CultureInfo.InvariantCulture),
                ["training.popularity_hr_at_10"] = baseline.HitRate.ToString("F5", CultureInfo.InvariantCulture),
                ["training.seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
                ["training.framework"] = "TorchSharp 0.107.0",
            }),
            Config = new ModelConfig
            {
                Inputs = [new TensorSpec(RecommenderExporter.UserInput, "INT64", [1]), new TensorSpec(RecommenderExporter.ItemInput, "INT64", [1])],
                Outputs = [new TensorSpec(RecommenderExporter.UserOutput, "FP32", [data.Items]), new TensorSpec(RecommenderExporter.ItemOutput, "FP32", [data.Items])],
                Pipeline = pipeline,
            },
            Architecture = new JsonObject { ["users"] = data.Users, ["items"] = data.Items, ["dimensions"] = Dimensions },
            Metrics = json,
            DataDescription = data.Source + "; leave-one-out: each user's last interaction is the test item.",
            MetricName = "HR@10 (leave-one-out)",
            Curve = curve,
            ExtraFiles = extra,
            WallSeconds = wall,
        };
    }

    public static RankingMetrics Evaluate(MatrixFactorization model, Interactions data)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var all = model.forward(arange(data.Users, dtype: ScalarType.Int64)).data<float>().ToArray();
        return RankingMetrics.Compute(data.ByUser, u => all.AsSpan(u * data.Items, data.Items).ToArray());
    }
}

using System.CommandLine;
using System.Globalization;
using InferenceService.Training.Models;
using InferenceService.Training.Reports;
using Spectre.Console;

namespace InferenceService.Training.Commands;

/// <summary>train &lt;family&gt;: trains, exports, verifies and writes the run folder with its report.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var family = new Argument<string>("family") { Description = "mnist | fashion-mnist | spam | recommender" };
        family.AcceptOnlyFromAmong(Families.All);
        var epochs = new Option<int?>("--epochs") { Description = "Epochs (default per family)" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Mini-batch size (default per family)" };
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate (default per family)" };
        var seed = new Option<int>("--seed") { Description = "Random seed; with one thread the run reproduces", DefaultValueFactory = _ => 42 };
        var threads = new Option<int>("--threads") { Description = "Torch intra-op threads", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out") { Description = "Run folder (default runs/<family>-<utc time>)" };
        var limit = new Option<int>("--limit") { Description = "Train on at most N examples (0 = all)" };
        var cache = new Option<string>("--cache") { Description = "Data cache folder", DefaultValueFactory = _ => RepositoryPaths.Cache };
        var miniLm = new Option<string>("--minilm") { Description = "MiniLM model folder (model.onnx + vocab.txt) for spam", DefaultValueFactory = _ => Path.Combine(RepositoryPaths.Models, "minilm", "1") };
        var ratings = new Option<string?>("--ratings") { Description = "MovieLens-format ratings file (user item rating timestamp) for the recommender; default: synthetic data" };
        var command = new Command("train", "Train a model family, export it to ONNX and verify the export")
        {
            family, epochs, batchSize, lr, seed, threads, output, limit, cache, miniLm, ratings,
            HeadTrainCommands.ImageFolder(),
            HeadTrainCommands.TextCsv(),
            CompareCommand.Create(),
        };
        command.SetAction(parse =>
        {
            var name = parse.GetRequiredValue(family);
            var defaults = TrainSettings.Defaults(name);
            var settings = defaults with
            {
                Epochs = parse.GetValue(epochs) ?? defaults.Epochs,
                BatchSize = parse.GetValue(batchSize) ?? defaults.BatchSize,
                LearningRate = parse.GetValue(lr) ?? defaults.LearningRate,
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                Limit = parse.GetValue(limit),
                CacheDir = Path.GetFullPath(parse.GetRequiredValue(cache)),
                MiniLmDir = Path.GetFullPath(parse.GetRequiredValue(miniLm)),
                RatingsFile = parse.GetValue(ratings) is { } r ? Path.GetFullPath(r) : null,
            };
            var folder = parse.GetValue(output) ?? Path.Combine(RepositoryPaths.Runs,
                $"{name}-{TimeProvider.System.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
            return Run(settings, Path.GetFullPath(folder), FamilyTrainer.Train);
        });
        return command;
    }

    public static string DefaultRunFolder(string name) => Path.Combine(RepositoryPaths.Runs,
        $"{name}-{TimeProvider.System.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");

    public static int Run(TrainSettings settings, string folder, Func<TrainSettings, ITrainingObserver, TrainedModel> train)
    {
        AnsiConsole.MarkupLineInterpolated($"Training [bold]{settings.Family}[/] → {folder}");
        TrainedModel? model = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context => model = train(settings, new SpectreObserver(context)));
        var parity = RunWriter.Write(model!, folder);
        var curve = new Table().AddColumns("epoch", "train loss", model!.MetricName, "seconds");
        foreach (var r in model.Curve)
        {
            curve.AddRow(
                r.Epoch.ToString(CultureInfo.InvariantCulture),
                r.TrainLoss.ToString("F4", CultureInfo.InvariantCulture),
                r.ValidationMetric.ToString("F4", CultureInfo.InvariantCulture),
                r.Seconds.ToString("F1", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(curve);
        var table = new Table().AddColumns("metric", "value");
        foreach (var (key, value) in model.Metrics)
        {
            if (value is System.Text.Json.Nodes.JsonValue)
            {
                table.AddRow(key, value.ToJsonString());
            }
        }

        table.AddRow("parity", parity.ToString());
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"Run folder: {folder}");
        if (!parity.Passed)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]Export parity failed: {parity}[/]");
            return 2;
        }

        return 0;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using InferenceService.Training.Datasets;
using InferenceService.Training.Models;
using Spectre.Console;

namespace InferenceService.Training.Commands;

/// <summary>
/// train compare fashion --per-label 100,500,2000: transfer learning (train image-folder) against the from-scratch CNN
/// (train fashion-mnist's trainer) on exactly the same PNG folders, split and held-out set, with times and load average.
/// train compare spam: train text-csv (MiniLM + head) against the same head on hashed bag-of-words features (nothing
/// pretrained), on the same CSV, split and held-out set.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var data = new Argument<string>("data") { Description = "fashion (images) or spam (text)" };
        data.AcceptOnlyFromAmong("fashion", "spam");
        var perLabel = new Option<string>("--per-label") { Description = "Images per label, comma-separated", DefaultValueFactory = _ => "100,500,2000" };
        var threads = new Option<int>("--threads") { Description = "Torch and ONNX Runtime threads (both methods)", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42 };
        var output = new Option<string?>("--out") { Description = "Work folder (default runs/compare-<data>-<utc time>)" };
        var cache = new Option<string>("--cache") { Description = "Data cache (Fashion-MNIST, SpamAssassin packages)", DefaultValueFactory = _ => RepositoryPaths.Cache };
        var miniLm = new Option<string>("--minilm") { Description = "MiniLM version folder (spam)", DefaultValueFactory = _ => Path.Combine(RepositoryPaths.Models, "minilm", "1") };
        var command = new Command("compare", "Transfer learning vs from scratch on the same data, split and held-out set") { data, perLabel, threads, seed, output, cache, miniLm };
        command.SetAction(parse =>
        {
            var counts = parse.GetRequiredValue(perLabel).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            var which = parse.GetRequiredValue(data);
            var folder = Path.GetFullPath(parse.GetValue(output) ?? TrainCommand.DefaultRunFolder("compare-" + which));
            var fetcher = new DataFetcher(Path.GetFullPath(parse.GetRequiredValue(cache)), Console.Out);
            var (threadCount, seedValue) = (parse.GetValue(threads), parse.GetValue(seed));
            List<ComparisonRow> rows;
            try
            {
                if (which == "spam")
                {
                    var corpus = SpamAssassinCorpus.Load(fetcher);
                    var miniLmDir = Path.GetFullPath(parse.GetRequiredValue(miniLm));
                    rows = [.. counts.Select(n => SpamRow(corpus, n, threadCount, seedValue, miniLmDir, folder))];
                }
                else
                {
                    var fashion = FashionMnistJson.Load(fetcher);
                    rows = [.. counts.Select(n => Row(fashion, n, threadCount, seedValue, folder))];
                }
            }
            catch (Exception e) when (e is TrainingDataException or FileNotFoundException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return 1;
            }

            var table = Markdown(rows, parse.GetValue(threads));
            File.WriteAllText(Path.Combine(folder, "compare.md"), table);
            AnsiConsole.WriteLine(table);
            return 0;
        });
        return command;
    }

    private static ComparisonRow Row(ImageSplits fashion, int perLabel, int threads, int seed, string root)
    {
        var folder = Path.Combine(root, $"fashion-{perLabel}");
        FashionFolders.Write(fashion, perLabel, Path.Combine(folder, "images"));
        var items = ImageFolder.Scan(Path.Combine(folder, "images"));
        var split = StratifiedSplit.Create(items.LabelIndex, items.Labels.Count, seed);
        var loadBefore = LoadAverage();

        // Transfer: a fresh embedding cache, so its time includes embedding every image once.
        var transferSettings = TrainSettings.Defaults(Families.ImageFolder) with
        {
            Source = Path.Combine(folder, "images"),
            Seed = seed,
            Threads = threads,
            CacheDir = Path.Combine(folder, "cache"),
        };
        var clock = Stopwatch.StartNew();
        var transfer = Observe($"transfer {perLabel}/label", o => ImageFolderTrainer.Train(transferSettings, o));
        var transferSeconds = clock.Elapsed.TotalSeconds;

        // From scratch: the fashion-mnist trainer with its defaults on train + validation images (the head uses the
        // validation images only to stop), evaluated on the same held-out images.
        var splits = new ImageSplits(
            FashionFolders.Read(items, split.Train.Concat(split.Validation).Order()),
            FashionFolders.Read(items, split.HeldOut),
            items.Labels,
            $"{folder}/images, seed {seed}");
        var scratchSettings = TrainSettings.Defaults(Families.FashionMnist) with { Seed = seed, Threads = threads, CacheDir = Path.Combine(folder, "cache") };
        clock.Restart();
        var scratch = Observe($"from scratch {perLabel}/label", o => ImageClassifierTrainer.Train(scratchSettings, splits, o));
        var scratchSeconds = clock.Elapsed.TotalSeconds;
        return new ComparisonRow(
            perLabel, split.Train.Length + split.Validation.Length, split.HeldOut.Length,
            transfer.Metrics["held_out_accuracy"]!.GetValue<double>(), transfer.Metrics["embedding_seconds"]!.GetValue<double>(),
            transfer.Metrics["head_seconds"]!.GetValue<double>(), transferSeconds,
            scratch.Metrics["test_accuracy"]!.GetValue<double>(), scratchSeconds, loadBefore, LoadAverage());
    }

    private static ComparisonRow SpamRow(IReadOnlyList<SpamMessage> corpus, int perLabel, int threads, int seed, string miniLmDir, string root)
    {
        var folder = Path.Combine(root, $"spam-{perLabel}");
        var csv = Path.Combine(folder, "spam.csv");
        SpamCsv.Write(corpus, perLabel, csv);
        var loadBefore = LoadAverage();
        var settings = TrainSettings.Defaults(Families.TextCsv) with
        {
            Source = csv,
            Seed = seed,
            Threads = threads,
            CacheDir = Path.Combine(folder, "cache"),
            MiniLmDir = miniLmDir,
        };
        var clock = Stopwatch.StartNew();
        var transfer = Observe($"transfer {perLabel}/label", o => TextCsvTrainer.Train(settings, o));
        var transferSeconds = clock.Elapsed.TotalSeconds;

        // From scratch: the same head, split and early stopping on hashed bag-of-words vectors of the same CSV.
        clock.Restart();
        var items = TextCsv.Load(csv);
        var split = StratifiedSplit.Create(items.LabelIndex, items.Labels.Count, seed);
        var vectors = items.Items.Select(BagOfWords.Vector).ToArray();
        var data = new EmbeddedExamples(vectors, items.LabelIndex, items.Labels, BagOfWords.Width);
        HeadRun? scratch = null;
        AnsiConsole.MarkupLineInterpolated($"[bold]from scratch {perLabel}/label[/]");
        AnsiConsole.Progress().Start(context => scratch = EmbeddingHeadTrainer.Train(settings, data, split, new Reports.SpectreObserver(context)));
        var scratchSeconds = clock.Elapsed.TotalSeconds;
        return new ComparisonRow(
            perLabel, split.Train.Length + split.Validation.Length, split.HeldOut.Length,
            transfer.Metrics["held_out_accuracy"]!.GetValue<double>(), transfer.Metrics["embedding_seconds"]!.GetValue<double>(),
            transfer.Metrics["head_seconds"]!.GetValue<double>(), transferSeconds,
            scratch!.HeldOut.Accuracy, scratchSeconds, loadBefore, LoadAverage());
    }

    private static TrainedModel Observe(string what, Func<ITrainingObserver, TrainedModel> train)
    {
        AnsiConsole.MarkupLineInterpolated($"[bold]{what}[/]");
        TrainedModel? model = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context => model = train(new Reports.SpectreObserver(context)));
        return model!;
    }

    /// <summary>The 1-minute load average: on a shared machine the times mean little without it.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static string Markdown(List<ComparisonRow> rows, int threads)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{threads} thread(s), {Environment.ProcessorCount} cores; load average (1 min) before → after each row.");
        text.AppendLine();
        text.AppendLine("Transfer s = all of it with a cold embedding cache; embedding s and head s are its parts (head s: a rerun on cached embeddings).");
        text.AppendLine();
        text.AppendLine("| per label | train+val | held out | transfer acc | transfer s | embedding s | head s | scratch acc | scratch s | time ratio | load |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.PerLabel} | {r.TrainImages} | {r.HeldOut} | {r.TransferAccuracy:P1} | {r.TransferSeconds:F1} | {r.EmbeddingSeconds:F1} | {r.HeadSeconds:F1} | {r.ScratchAccuracy:P1} | {r.ScratchSeconds:F1} | {r.TransferSeconds / r.ScratchSeconds:F2} | {r.LoadBefore} → {r.LoadAfter} |");
        }

        return text.ToString();
    }

    private sealed record ComparisonRow(
        int PerLabel, int TrainImages, int HeldOut, double TransferAccuracy, double EmbeddingSeconds, double HeadSeconds, double TransferSeconds,
        double ScratchAccuracy, double ScratchSeconds, string LoadBefore, string LoadAfter);
}

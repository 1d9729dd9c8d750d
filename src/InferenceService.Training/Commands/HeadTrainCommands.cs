using System.CommandLine;
using InferenceService.Training.Datasets;
using InferenceService.Training.Models;
using InferenceService.Training.Publish;
using Spectre.Console;

namespace InferenceService.Training.Commands;

/// <summary>
/// train image-folder &lt;dir&gt; and train text-csv &lt;file&gt;: a head on a pretrained backbone from the user's data,
/// written as a run folder and, with --publish, published as the next version of --name.
/// </summary>
internal static class HeadTrainCommands
{
    public static Command ImageFolder()
    {
        var source = new Argument<string>("dir") { Description = "A folder with one sub-folder of images (jpg, png, webp) per label" };
        var augment = new Option<bool>("--augment") { Description = "Also train on a flipped and a cropped copy of each training image" };
        var backbone = new Option<string>("--backbone") { Description = "Backbone version folder", DefaultValueFactory = _ => Path.Combine(RepositoryPaths.Models, "resnet18", "1") };
        return Create(Families.ImageFolder, "Train an image classifier on ResNet18 embeddings of a folder per label", source,
            ImageFolderTrainer.Train, [augment, backbone], (s, parse) => s with
            {
                Augment = parse.GetValue(augment),
                BackboneDir = Path.GetFullPath(parse.GetRequiredValue(backbone)),
            });
    }

    public static Command TextCsv()
    {
        var source = new Argument<string>("file") { Description = "A CSV file (RFC 4180) with a header row naming the columns text and label" };
        var miniLm = new Option<string>("--minilm") { Description = "MiniLM version folder (model.onnx + vocab.txt)", DefaultValueFactory = _ => Path.Combine(RepositoryPaths.Models, "minilm", "1") };
        return Create(Families.TextCsv, "Train a text classifier on MiniLM embeddings of a text,label CSV", source,
            TextCsvTrainer.Train, [miniLm], (s, parse) => s with { MiniLmDir = Path.GetFullPath(parse.GetRequiredValue(miniLm)) });
    }

    private static Command Create(
        string family,
        string description,
        Argument<string> source,
        Func<TrainSettings, ITrainingObserver, TrainedModel> train,
        Option[] extra,
        Func<TrainSettings, ParseResult, TrainSettings> configure)
    {
        var defaults = TrainSettings.Defaults(family);
        var epochs = new Option<int>("--epochs") { Description = "Most epochs (early stopping usually ends sooner)", DefaultValueFactory = _ => defaults.Epochs };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => defaults.BatchSize };
        var lr = new Option<double>("--lr") { DefaultValueFactory = _ => defaults.LearningRate };
        var hidden = new Option<int>("--hidden") { Description = "Hidden units (0 = a linear head)", DefaultValueFactory = _ => defaults.Hidden };
        var patience = new Option<int>("--patience") { Description = "Stop after this many epochs without a lower validation loss", DefaultValueFactory = _ => defaults.Patience };
        var seed = new Option<int>("--seed") { Description = "Split and training seed", DefaultValueFactory = _ => 42 };
        var threads = new Option<int>("--threads") { Description = "Torch and ONNX Runtime threads", DefaultValueFactory = _ => 1 };
        var cache = new Option<string>("--cache") { Description = "Cache folder (embeddings)", DefaultValueFactory = _ => RepositoryPaths.Cache };
        var output = new Option<string?>("--out") { Description = $"Run folder (default runs/{family}-<utc time>)" };
        var publish = new Option<bool>("--publish") { Description = "Publish the verified run as the next version of --name" };
        var name = new Option<string?>("--name") { Description = "Model name for --publish (default: the folder or file name)" };
        var repository = new Option<string>("--repository") { Description = "Model repository root for --publish", DefaultValueFactory = _ => RepositoryPaths.Models };
        var command = new Command(family, description) { source, epochs, batchSize, lr, hidden, patience, seed, threads, cache, output, publish, name, repository };
        foreach (var option in extra)
        {
            command.Add(option);
        }

        command.SetAction(parse =>
        {
            var path = Path.GetFullPath(parse.GetRequiredValue(source));
            var settings = configure(defaults with
            {
                Source = path,
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                LearningRate = parse.GetValue(lr),
                Hidden = parse.GetValue(hidden),
                Patience = parse.GetValue(patience),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                CacheDir = Path.GetFullPath(parse.GetRequiredValue(cache)),
            }, parse);
            var folder = Path.GetFullPath(parse.GetValue(output) ?? TrainCommand.DefaultRunFolder(family));
            int code;
            try
            {
                code = TrainCommand.Run(settings, folder, train);
            }
            catch (Exception e) when (e is TrainingDataException or FileNotFoundException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return 1;
            }

            if (code != 0 || !parse.GetValue(publish))
            {
                return code;
            }

            var modelName = parse.GetValue(name) ?? Path.GetFileNameWithoutExtension(path.TrimEnd(Path.DirectorySeparatorChar)).ToLowerInvariant();
            var result = ModelPublisher.Publish(folder, Path.GetFullPath(parse.GetRequiredValue(repository)), modelName);
            AnsiConsole.MarkupLineInterpolated($"[green]Published[/] {modelName} version {result.Version} → {result.VersionFolder} ({result.Parity.ToString()})");
            return 0;
        });
        return command;
    }
}

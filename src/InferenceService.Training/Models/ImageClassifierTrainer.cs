using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using InferenceService.Training.Datasets;
using InferenceService.Training.Export;
using InferenceService.Training.Publish;
using TorchSharp;
using static TorchSharp.torch;

namespace InferenceService.Training.Models;

/// <summary>Trains <see cref="ImageCnn"/> on MNIST or Fashion-MNIST with AdamW and a one-cycle learning rate.</summary>
internal static class ImageClassifierTrainer
{
    public static TrainedModel Train(TrainSettings settings, ImageSplits data, ITrainingObserver observer, ImageCnnShape? shape = null)
    {
        var clock = Stopwatch.StartNew();
        shape ??= new ImageCnnShape(Classes: data.ClassNames.Count);
        torch.set_num_threads(settings.Threads);
        torch.manual_seed(settings.Seed);
        var train = settings.Limit > 0 ? data.Train.Take(settings.Limit) : data.Train;
        var test = settings.Limit > 0 ? data.Test.Take(Math.Max(1000, settings.Limit / 6)) : data.Test;

        // Normalisation statistics come from the training pixels and go into config.json for the endpoint.
        var (mean, std) = PixelStatistics(train);
        using var trainX = ToTensor(train, mean, std);
        using var trainY = tensor(train.Labels.Select(l => (long)l).ToArray());
        using var testX = ToTensor(test, mean, std);
        var testY = test.Labels.Select(l => (long)l).ToArray();

        var model = new ImageCnn(shape);
        var stepsPerEpoch = (train.Count + settings.BatchSize - 1) / settings.BatchSize;
        var optimizer = optim.AdamW(model.parameters(), settings.LearningRate, weight_decay: 1e-4);
        var schedule = optim.lr_scheduler.OneCycleLR(optimizer, settings.LearningRate, total_steps: settings.Epochs * stepsPerEpoch);
        var (curve, metrics) = MiniBatchTraining.Run(
            model, optimizer, trainX, trainY, settings, observer,
            () => Evaluate(model, testX, testY, data.ClassNames), m => m.Accuracy, () => schedule.step());

        metrics ??= Evaluate(model, testX, testY, data.ClassNames);
        model.eval();
        var wall = clock.Elapsed.TotalSeconds;
        var architecture = new JsonObject
        {
            ["channels1"] = shape.Channels1,
            ["channels2"] = shape.Channels2,
            ["hidden"] = shape.Hidden,
            ["classes"] = shape.Classes,
            ["mean"] = mean,
            ["std"] = std,
        };
        var json = metrics.ToJson();
        json["test_accuracy"] = Math.Round(metrics.Accuracy, 5);
        json["train_examples"] = train.Count;
        json["test_examples"] = test.Count;
        json["train_wall_seconds"] = Math.Round(wall, 1);
        json["threads"] = settings.Threads;
        return new TrainedModel
        {
            Settings = settings,
            Module = model,
            Probe = new ImageCnnProbe(model),
            Onnx = ImageCnnExporter.Export(model, Metadata(settings, metrics.Accuracy, data.Source)),
            Config = Config(data.ClassNames.Count, mean, std),
            Architecture = architecture,
            Metrics = json,
            DataDescription = data.Source,
            MetricName = "test accuracy",
            Labels = data.ClassNames,
            ConfusionMatrix = metrics.Confusion,
            Curve = curve,
            WallSeconds = wall,
        };
    }

    public static ClassificationMetrics Evaluate(ImageCnn model, Tensor images, long[] labels, IReadOnlyList<string> classNames)
    {
        model.eval();
        var predicted = new long[labels.Length];
        using (no_grad())
        {
            for (var start = 0; start < labels.Length; start += 1000)
            {
                using var scope = NewDisposeScope();
                var end = Math.Min(labels.Length, start + 1000);
                var batch = model.forward(images.slice(0, start, end, 1)).argmax(1).data<long>().ToArray();
                batch.CopyTo(predicted, start);
            }
        }

        return new ClassificationMetrics(classNames, predicted, labels);
    }

    public static (double Mean, double Std) PixelStatistics(ImageSet set)
    {
        double sum = 0, sumSquares = 0;
        foreach (var p in set.Pixels)
        {
            var v = p / 255.0;
            sum += v;
            sumSquares += v * v;
        }

        var mean = sum / set.Pixels.Length;
        return (Math.Round(mean, 4), Math.Round(Math.Sqrt((sumSquares / set.Pixels.Length) - (mean * mean)), 4));
    }

    public static Tensor ToTensor(ImageSet set, double mean, double std)
    {
        var values = new float[set.Pixels.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(((set.Pixels[i] / 255.0) - mean) / std);
        }

        return tensor(values, [set.Count, 1, set.Height, set.Width]);
    }

    public static ModelConfig Config(int classes, double mean, double std) => new()
    {
        Inputs = [new TensorSpec(ImageCnnExporter.InputName, "FP32", [1, 28, 28])],
        Outputs = [new TensorSpec(ImageCnnExporter.OutputName, "FP32", [classes])],
        Pipeline = new JsonObject
        {
            ["kind"] = "image-classifier",
            ["labels"] = "labels.txt",
            ["image"] = new JsonObject
            {
                ["width"] = 28,
                ["height"] = 28,
                ["channels"] = 1,
                ["scale"] = 1.0 / 255.0,
                ["mean"] = new JsonArray(mean),
                ["std"] = new JsonArray(std),
                ["invert"] = false,
            },
        },
    };

    private static Dictionary<string, string> Metadata(TrainSettings settings, double accuracy, string data) => new()
    {
        ["training.family"] = settings.Family,
        ["training.data"] = data,
        ["training.epochs"] = settings.Epochs.ToString(CultureInfo.InvariantCulture),
        ["training.batch_size"] = settings.BatchSize.ToString(CultureInfo.InvariantCulture),
        ["training.lr"] = settings.LearningRate.ToString(CultureInfo.InvariantCulture),
        ["training.seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
        ["training.test_accuracy"] = accuracy.ToString("F5", CultureInfo.InvariantCulture),
        ["training.framework"] = "TorchSharp 0.107.0",
    };
}

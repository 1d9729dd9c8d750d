using System.Diagnostics;
using System.Runtime.CompilerServices;
using InferenceService.Training.Datasets;
using TorchSharp;
using static TorchSharp.torch;

namespace InferenceService.Training.Models;

/// <summary>
/// Trains a <see cref="SpamHead"/> on precomputed embeddings with AdamW, stopping when the validation loss has not
/// improved for <see cref="TrainSettings.Patience"/> epochs and keeping the weights of the best epoch.
/// </summary>
internal static class EmbeddingHeadTrainer
{
    public static HeadRun Train(TrainSettings settings, EmbeddedExamples data, StratifiedSplit split, ITrainingObserver observer)
    {
        var clock = Stopwatch.StartNew();
        torch.set_num_threads(settings.Threads);
        torch.manual_seed(settings.Seed);
        var (trainVectors, trainLabels) = data.TrainingSet(split.Train);
        using var trainX = Stack(trainVectors, data.Width);
        using var trainY = tensor(trainLabels.Select(l => (long)l).ToArray());
        using var validX = Stack([.. split.Validation.Select(i => data.Vectors[i])], data.Width);
        using var validY = tensor(split.Validation.Select(i => (long)data.Labels[i]).ToArray());
        using var testX = Stack([.. split.HeldOut.Select(i => data.Vectors[i])], data.Width);
        var testY = split.HeldOut.Select(i => (long)data.Labels[i]).ToArray();

        var model = new SpamHead(data.Width, settings.Hidden, data.ClassNames.Count);
        var optimizer = optim.AdamW(model.parameters(), settings.LearningRate, weight_decay: 1e-4);
        var best = (Loss: double.PositiveInfinity, Epoch: 0, State: (Dictionary<string, Tensor>?)null);
        var epoch = 0;
        var (curve, _) = MiniBatchTraining.Run(model, optimizer, trainX, trainY, settings, observer,
            () => new StrongBox<double>(ValidationLoss(model, validX, validY)), box => box.Value,
            stop: box =>
            {
                var loss = box.Value;
                epoch++;
                if (loss < best.Loss - 1e-6)
                {
                    Dispose(best.State);
                    best = (loss, epoch, model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone()));
                }

                return epoch - best.Epoch >= settings.Patience;
            });

        if (best.State is not null)
        {
            model.load_state_dict(best.State);
            Dispose(best.State);
        }

        model.eval();
        var heldOut = Evaluate(model, testX, testY, data.ClassNames);
        return new HeadRun(model, curve, heldOut, best.Epoch, best.Loss, trainLabels.Length, clock.Elapsed.TotalSeconds);
    }

    public static ClassificationMetrics Evaluate(SpamHead model, Tensor x, long[] y, IReadOnlyList<string> classNames)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var predicted = model.forward(x).argmax(1).data<long>().ToArray();
        return new ClassificationMetrics(classNames, predicted, y);
    }

    public static Tensor Stack(IReadOnlyList<float[]> vectors, int width)
    {
        var flat = new float[vectors.Count * width];
        for (var i = 0; i < vectors.Count; i++)
        {
            vectors[i].CopyTo(flat, i * width);
        }

        return tensor(flat, [vectors.Count, width]);
    }

    private static double ValidationLoss(SpamHead model, Tensor x, Tensor y)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return nn.functional.cross_entropy(model.forward(x), y).item<float>();
    }

    private static void Dispose(Dictionary<string, Tensor>? state)
    {
        foreach (var tensor in state?.Values ?? Enumerable.Empty<Tensor>())
        {
            tensor.Dispose();
        }
    }
}

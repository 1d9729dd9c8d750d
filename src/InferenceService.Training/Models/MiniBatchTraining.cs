using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace InferenceService.Training.Models;

/// <summary>
/// The epoch loop every family shares: a seeded shuffle per epoch, mini-batches of cross-entropy, an optimiser step
/// (and an optional scheduler step), then an evaluation that gives the epoch's headline metric.
/// </summary>
internal static class MiniBatchTraining
{
    /// <param name="afterStep">Runs after each optimiser step (a learning-rate schedule).</param>
    /// <param name="evaluate">Evaluates the model after each epoch.</param>
    /// <param name="headline">The metric drawn in the epoch curve (accuracy, hit rate).</param>
    /// <param name="stop">Asked after each epoch's evaluation; true ends training early (early stopping).</param>
    public static (List<EpochRecord> Curve, TMetrics? Last) Run<TMetrics>(
        nn.Module<Tensor, Tensor> model,
        optim.Optimizer optimizer,
        Tensor inputs,
        Tensor targets,
        TrainSettings settings,
        ITrainingObserver observer,
        Func<TMetrics> evaluate,
        Func<TMetrics, double> headline,
        Action? afterStep = null,
        Func<TMetrics, bool>? stop = null)
        where TMetrics : class
    {
        var count = inputs.shape[0];
        var stepsPerEpoch = (int)((count + settings.BatchSize - 1) / settings.BatchSize);
        using var generator = new Generator((ulong)settings.Seed);
        var curve = new List<EpochRecord>();
        TMetrics? metrics = null;
        for (var epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            observer.EpochStarted(epoch, settings.Epochs, stepsPerEpoch);
            model.train();
            using var order = randperm(count, generator: generator);
            double lossSum = 0;
            for (var step = 0; step < stepsPerEpoch; step++)
            {
                using var scope = NewDisposeScope();
                var index = order.slice(0, step * settings.BatchSize, Math.Min(count, (step + 1) * (long)settings.BatchSize), 1);
                var loss = nn.functional.cross_entropy(model.forward(inputs.index_select(0, index)), targets.index_select(0, index));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                afterStep?.Invoke();
                var value = loss.item<float>();
                lossSum += value;
                observer.StepDone(value);
            }

            metrics = evaluate();
            var record = new EpochRecord(epoch, lossSum / stepsPerEpoch, headline(metrics), epochClock.Elapsed.TotalSeconds);
            curve.Add(record);
            observer.EpochDone(record);
            if (stop?.Invoke(metrics) == true)
            {
                break;
            }
        }

        return (curve, metrics);
    }
}

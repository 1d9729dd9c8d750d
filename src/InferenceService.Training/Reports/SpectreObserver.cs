using System.Globalization;
using InferenceService.Training.Models;
using Spectre.Console;

namespace InferenceService.Training.Reports;

/// <summary>Draws one progress bar per epoch with the running loss (Spectre.Console); epoch 0 is data preparation.</summary>
internal sealed class SpectreObserver(ProgressContext context) : ITrainingObserver
{
    private ProgressTask? task;
    private string label = string.Empty;
    private bool training;
    private double lossSum;
    private int steps;

    public void EpochStarted(int epoch, int epochs, int steps)
    {
        training = epoch > 0;
        label = training ? string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}/{epochs}") : "embedding";
        task = context.AddTask(label, maxValue: steps);
        lossSum = 0;
        this.steps = 0;
    }

    public void StepDone(double loss)
    {
        lossSum += loss;
        steps++;
        if (task is null)
        {
            return;
        }

        task.Increment(1);
        if (training && steps % 20 == 0)
        {
            task.Description = string.Create(CultureInfo.InvariantCulture, $"{label} loss {lossSum / steps:F4}");
        }
    }

    public void EpochDone(EpochRecord record)
    {
        if (task is null)
        {
            return;
        }

        task.Description = training
            ? string.Create(CultureInfo.InvariantCulture, $"{label} loss {record.TrainLoss:F4} metric {record.ValidationMetric:F4} ({record.Seconds:F0}s)")
            : string.Create(CultureInfo.InvariantCulture, $"{label} ({record.Seconds:F0}s)");
        task.Value = task.MaxValue;
        task.StopTask();
    }

    public void Message(string text) => AnsiConsole.MarkupLineInterpolated($"[grey]{text}[/]");
}

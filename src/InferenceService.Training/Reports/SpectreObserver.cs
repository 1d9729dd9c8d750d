using System.Globalization;
using InferenceService.Training.Models;
using Spectre.Console;

namespace InferenceService.Training.Reports;

/// <summary>Draws one progress bar per epoch with the running loss (Spectre.Console).</summary>
internal sealed class SpectreObserver(ProgressContext context) : ITrainingObserver
{
    private ProgressTask? task;
    private double lossSum;
    private int steps;

    public void EpochStarted(int epoch, int epochs, int steps)
    {
        task = context.AddTask($"epoch {epoch}/{epochs}", maxValue: steps);
        lossSum = 0;
        this.steps = 0;
    }

    public void StepDone(double loss)
    {
        lossSum += loss;
        steps++;
        if (task is not null)
        {
            task.Increment(1);
            if (steps % 20 == 0)
            {
                task.Description = string.Create(CultureInfo.InvariantCulture, $"{task.Description.Split(' ')[0]} {task.Description.Split(' ')[1]} loss {lossSum / steps:F4}");
            }
        }
    }

    public void EpochDone(EpochRecord record)
    {
        if (task is not null)
        {
            task.Description = string.Create(CultureInfo.InvariantCulture,
                $"epoch {record.Epoch} loss {record.TrainLoss:F4} metric {record.ValidationMetric:F4} ({record.Seconds:F0}s)");
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }

    public void Message(string text) => AnsiConsole.MarkupLineInterpolated($"[grey]{text}[/]");
}

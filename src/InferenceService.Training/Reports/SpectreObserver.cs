using System.Globalization;
using InferenceService.Training.Models;
using Spectre.Console;

namespace InferenceService.Training.Reports;

/// <summary>Draws one progress bar per epoch with the running loss (Spectre.Console); epoch 0 is data preparation.</summary>
internal sealed class SpectreObserver(ProgressContext context) : ITrainingObserver
{
    private ProgressTask? _task;
    private string _label = string.Empty;
    private bool _training;
    private double _lossSum;
    private int _steps;

    public void EpochStarted(int epoch, int epochs, int steps)
    {
        _training = epoch > 0;
        _label = _training ? string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}/{epochs}") : "embedding";
        _task = context.AddTask(_label, maxValue: steps);
        _lossSum = 0;
        _steps = 0;
    }

    public void StepDone(double loss)
    {
        _lossSum += loss;
        _steps++;
        if (_task is null)
        {
            return;
        }

        _task.Increment(1);
        if (_training && _steps % 20 == 0)
        {
            _task.Description = string.Create(CultureInfo.InvariantCulture, $"{_label} loss {_lossSum / _steps:F4}");
        }
    }

    public void EpochDone(EpochRecord record)
    {
        if (_task is null)
        {
            return;
        }

        _task.Description = _training
            ? string.Create(CultureInfo.InvariantCulture, $"{_label} loss {record.TrainLoss:F4} metric {record.ValidationMetric:F4} ({record.Seconds:F0}s)")
            : string.Create(CultureInfo.InvariantCulture, $"{_label} ({record.Seconds:F0}s)");
        _task.Value = _task.MaxValue;
        _task.StopTask();
    }

    public void Message(string text) => AnsiConsole.MarkupLineInterpolated($"[grey]{text}[/]");
}

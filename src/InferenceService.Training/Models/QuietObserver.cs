namespace InferenceService.Training.Models;

/// <summary>Prints one line per epoch to a writer; used by tests and when output is redirected.</summary>
internal sealed class QuietObserver(TextWriter writer) : ITrainingObserver
{
    public void EpochStarted(int epoch, int epochs, int steps)
    {
    }

    public void StepDone(double loss)
    {
    }

    public void EpochDone(EpochRecord record) =>
        writer.WriteLine(FormattableString.Invariant($"epoch {record.Epoch}: loss {record.TrainLoss:F4}, metric {record.ValidationMetric:F4}, {record.Seconds:F1}s"));

    public void Message(string text) => writer.WriteLine(text);
}

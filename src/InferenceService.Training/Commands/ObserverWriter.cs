using System.Text;
using InferenceService.Training.Models;

namespace InferenceService.Training.Commands;

/// <summary>Routes lines written by helpers (data fetch) to the training observer.</summary>
internal sealed class ObserverWriter(ITrainingObserver observer) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void WriteLine(string? value) => observer.Message(value ?? string.Empty);
}

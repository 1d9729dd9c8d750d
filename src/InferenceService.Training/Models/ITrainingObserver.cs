namespace InferenceService.Training.Models;

/// <summary>Progress hooks, so the CLI can draw progress bars while tests stay quiet.</summary>
internal interface ITrainingObserver
{
    void EpochStarted(int epoch, int epochs, int steps);

    void StepDone(double loss);

    void EpochDone(EpochRecord record);

    void Message(string text);
}

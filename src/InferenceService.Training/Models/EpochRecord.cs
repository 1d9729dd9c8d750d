namespace InferenceService.Training.Models;

/// <summary>One point of the training curves.</summary>
internal sealed record EpochRecord(int Epoch, double TrainLoss, double ValidationMetric, double Seconds);

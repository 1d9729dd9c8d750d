namespace InferenceService.Training.Models;

/// <summary>A trained head: the best epoch's weights, the curve, and the held-out metrics.</summary>
internal sealed record HeadRun(SpamHead Model, IReadOnlyList<EpochRecord> Curve, ClassificationMetrics HeldOut, int BestEpoch, double BestValidationLoss, int TrainExamples, double Seconds);

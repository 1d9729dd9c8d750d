using InferenceService.Runtime.Inference;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>The outcome of a stress run; <see cref="Problems"/> lists every wrong or missing answer.</summary>
/// <param name="EarlyCancellations">Cancelled right after submission: these must all come back cancelled.</param>
public sealed record StressReport(
    int Requests,
    int Succeeded,
    int Cancelled,
    int PlannedCancellations,
    int EarlyCancellations,
    int Unanswered,
    IReadOnlyList<string> Problems,
    ModelStatisticsSnapshot Statistics);

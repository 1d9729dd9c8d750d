namespace InferenceService.Runtime.Inference;

/// <summary>Executions of one batch size and their compute durations (Triton's <c>batch_stats</c> entry).</summary>
public sealed record BatchStatistics(long BatchSize, StatisticsDuration ComputeInput, StatisticsDuration ComputeInfer, StatisticsDuration ComputeOutput);

namespace InferenceService.Runtime.Batching.LatencyTarget;

/// <summary>One calibration batch size and its median time over the runs.</summary>
public sealed record CalibrationPointStatistics(int BatchSize, double Ms);

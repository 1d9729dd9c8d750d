namespace InferenceService.Runtime.Inference;

/// <summary>A count and the cumulative nanoseconds spent by those events (Triton's <c>StatisticDuration</c>).</summary>
public readonly record struct StatisticsDuration(long Count, long Ns);

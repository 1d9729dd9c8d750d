namespace InferenceService.Runtime.Batching.LatencyTarget;

/// <summary>One measured batch: its size in items and how long it took, in milliseconds.</summary>
internal readonly record struct CostPoint(int Items, double Ms);

namespace InferenceService.Runtime.Batching.LatencyTarget;

/// <summary>One shape bucket's cost model (a + b·n ms) and the choices it gives now.</summary>
/// <param name="Bucket">The batcher's shape key: inputs, types, fixed dims and length bucket (#b).</param>
/// <param name="AMs">Fitted fixed cost per batch.</param>
/// <param name="BMs">Fitted cost per item.</param>
/// <param name="Batches">Batches of this bucket the fit has seen (besides the calibration points).</param>
/// <param name="BatchSize">The size the batcher dispatches at: the largest that keeps a saturated queue within the plan.</param>
/// <param name="WaitMs">How long a lone request may wait for company before it is sent, at the current arrival rate.</param>
public sealed record BucketCostStatistics(string Bucket, double AMs, double BMs, long Batches, int BatchSize, double WaitMs)
{
    /// <summary>Mean gap between the bucket's arrivals (weighted to the latest); null before its second request.</summary>
    public double? ArrivalGapMs { get; init; }
}

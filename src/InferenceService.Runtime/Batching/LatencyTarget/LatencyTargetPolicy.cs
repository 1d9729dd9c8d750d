namespace InferenceService.Runtime.Batching.LatencyTarget;

/// <summary>
/// latency_target_ms: the <see cref="LatencyTuner"/> chooses each batch's size and wait from the arrivals it is told of.
/// Preferred sizes then only bound the size, through <see cref="BatchingModel.BatchCap"/>.
/// </summary>
internal sealed class LatencyTargetPolicy(LatencyTuner tuner) : IDispatchPolicy
{
    private static readonly IReadOnlySet<int> NoPreferredSizes = new HashSet<int>();

    public IReadOnlySet<int> PreferredBatchSizes => NoPreferredSizes;

    public void Arrived(QueuedRequest request) => tuner.Arrived(request.Shape.Key, request.EnqueuedAt);

    public DispatchDecision Decide(BatchCandidate candidate, long now) => tuner.Decide(candidate, now);
}

namespace InferenceService.Runtime.Batching;

/// <summary>
/// Triton's static rules: dispatch at once when the batch reaches a preferred size (the largest reachable) or cannot grow,
/// or when its oldest member has waited max_queue_delay_microseconds; a delay of 0 dispatches whatever is queued whenever
/// an instance is free.
/// </summary>
internal sealed class QueueDelayPolicy(BatchingModel model, TimeProvider timeProvider) : IDispatchPolicy
{
    public IReadOnlySet<int> PreferredBatchSizes => model.PreferredBatchSizes;

    public void Arrived(QueuedRequest request)
    {
        // The delay runs from each batch's oldest member, whatever the arrival rate.
    }

    public DispatchDecision Decide(BatchCandidate candidate, long now)
    {
        var waited = now - candidate.OldestEnqueuedAt;
        var delayOver = waited >= model.MaxQueueDelayTicks;
        if (candidate.PreferredCount > 0 && !delayOver)
        {
            return DispatchDecision.Dispatch(candidate.PreferredCount);
        }

        if (candidate.Full || delayOver)
        {
            return DispatchDecision.Dispatch(candidate.Members.Count);
        }

        // Rounded up so the wake-up never comes a tick early and finds the delay not yet over.
        var ticks = (model.MaxQueueDelayTicks - waited) * TimeSpan.TicksPerSecond;
        return DispatchDecision.Wait(TimeSpan.FromTicks((ticks + timeProvider.TimestampFrequency - 1) / timeProvider.TimestampFrequency));
    }
}

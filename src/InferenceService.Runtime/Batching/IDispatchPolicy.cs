namespace InferenceService.Runtime.Batching;

/// <summary>
/// When <see cref="DynamicBatcher"/> dispatches the head's batch, and how much of it: Triton's static rules
/// (<see cref="QueueDelayPolicy"/>) or latency_target_ms (<see cref="LatencyTarget.LatencyTargetPolicy"/>).
/// One caller at a time (the scheduler loop, or its delay timer's callback, under one lock), asking only while an instance is free.
/// </summary>
internal interface IDispatchPolicy
{
    /// <summary>The sizes <see cref="PendingQueue.Peek"/> reports a preferred count for.</summary>
    IReadOnlySet<int> PreferredBatchSizes { get; }

    /// <summary>The loop read <paramref name="request"/> from the channel (it may have left the queue already).</summary>
    void Arrived(QueuedRequest request);

    /// <summary>Take how many of <paramref name="candidate"/>'s leading members now, or sleep how long.</summary>
    /// <param name="now">The loop's timestamp; the dispatched members leave the queue at it.</param>
    DispatchDecision Decide(BatchCandidate candidate, long now);
}

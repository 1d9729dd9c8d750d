namespace InferenceService.Runtime.Batching;

/// <summary>A batch the scheduler could dispatch now.</summary>
/// <param name="Members">In queue order; the first is the head.</param>
/// <param name="Items">Total rows of <paramref name="Members"/>.</param>
/// <param name="PreferredCount">How many leading members make the largest preferred batch size seen; 0 if none.</param>
/// <param name="Full">The batch cannot grow: it reached the cap, or the next compatible request does not fit.</param>
/// <param name="OldestEnqueuedAt">Timestamp of the oldest member: the queue delay runs from it.</param>
internal sealed record BatchCandidate(List<QueuedRequest> Members, int Items, int PreferredCount, bool Full, long OldestEnqueuedAt);

namespace InferenceService.Runtime.Batching.LatencyTarget;

/// <summary>Why the last batch went when it did.</summary>
/// <param name="Reason">size (reached the chosen size, or more was queued), full (the next request did not fit), deadline (waiting longer would miss the plan), unreachable (even alone it misses the target: sent at once), drain (more than the chosen size was queued and the oldest could not make the plan any more: all of the candidate, up to the cap, went), keep-up (at the measured arrival rate, batches of this size keep the instances busy at most 75 % of the time: no need to wait for company), sparse (less than one mean arrival gap was left before the deadline: waiting longer would not grow the batch).</param>
public sealed record LatencyDecisionStatistics(string Bucket, int Items, string Reason, double WaitedMs);

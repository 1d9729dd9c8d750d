namespace InferenceService.Runtime.Batching.LatencyTarget;

/// <summary>What <see cref="LatencyTuner.Decide"/> says about the candidate batch.</summary>
/// <param name="Take">Leading members to dispatch now; 0 to wait.</param>
/// <param name="Backlogged">Compatible requests stay queued behind this batch (the queue, not the plan, sets their latency).</param>
/// <param name="Sleep">When <paramref name="Take"/> is 0: how long until waiting longer would miss the plan.</param>
internal readonly record struct TunerDecision(int Take, bool Backlogged, TimeSpan Sleep);

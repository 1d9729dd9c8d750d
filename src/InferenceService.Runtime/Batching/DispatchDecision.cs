namespace InferenceService.Runtime.Batching;

/// <summary>What an <see cref="IDispatchPolicy"/> says about the head's batch.</summary>
/// <param name="Take">Leading members of the candidate to dispatch now; 0 to wait.</param>
/// <param name="Sleep">When <paramref name="Take"/> is 0: how long until the batch is due (new arrivals and finished batches wake the loop earlier).</param>
/// <param name="Backlogged">Compatible requests stay queued behind this batch, so the latency target blames a missed p99 on load, not on its plan (only that policy sets it).</param>
internal readonly record struct DispatchDecision(int Take, TimeSpan Sleep, bool Backlogged)
{
    public static DispatchDecision Dispatch(int take, bool backlogged = false) => new(take, TimeSpan.Zero, backlogged);

    public static DispatchDecision Wait(TimeSpan sleep) => new(0, sleep, false);
}

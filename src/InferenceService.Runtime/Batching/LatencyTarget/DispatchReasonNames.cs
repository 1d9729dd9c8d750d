namespace InferenceService.Runtime.Batching.LatencyTarget;

/// <summary>The names <c>/v2/models/{name}/stats</c> writes for <see cref="DispatchReason"/>: <c>latency_target.last_decision.reason</c> and the <c>decisions</c> keys.</summary>
internal static class DispatchReasonNames
{
    public static string ToWireName(this DispatchReason reason) => reason switch
    {
        DispatchReason.Size => "size",
        DispatchReason.Full => "full",
        DispatchReason.Deadline => "deadline",
        DispatchReason.Unreachable => "unreachable",
        DispatchReason.Drain => "drain",
        DispatchReason.KeepUp => "keep-up",
        DispatchReason.Sparse => "sparse",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown dispatch reason."),
    };
}

namespace InferenceService.Runtime.Batching.LatencyTarget;

/// <summary>Why <see cref="LatencyTuner"/> let a batch go. The stats show it by <see cref="DispatchReasonNames.ToWireName"/>.</summary>
internal enum DispatchReason
{
    /// <summary>Reached the chosen size, or more was queued.</summary>
    Size,

    /// <summary>The next request did not fit.</summary>
    Full,

    /// <summary>Waiting longer would miss the plan.</summary>
    Deadline,

    /// <summary>Even alone it misses the target: sent at once.</summary>
    Unreachable,

    /// <summary>More than the chosen size was queued and the oldest could not make the plan any more: all of the candidate went.</summary>
    Drain,

    /// <summary>At the measured arrival rate, batches of this size keep the instances busy at most <see cref="LatencyTuner.KeepUpUtilisation"/> of the time.</summary>
    KeepUp,

    /// <summary>Less than one mean arrival gap was left before the deadline: waiting longer would not grow the batch.</summary>
    Sparse,
}

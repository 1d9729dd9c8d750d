using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Inference;

/// <summary>
/// A request's scheduling parameters as every protocol carries them (Triton's <c>priority</c> and <c>timeout</c>):
/// raw integers, checked here once so that REST and gRPC accept and refuse exactly the same values.
/// </summary>
/// <param name="Priority">0 or absent = the model's default level; 1 is the highest.</param>
/// <param name="TimeoutMicroseconds">0 or absent = the model's default queue timeout; a request may only shorten it.</param>
public readonly record struct RequestParameters(long? Priority = null, long? TimeoutMicroseconds = null)
{
    // Beyond this a timeout cannot shorten any model's limit; it also keeps TimeSpan arithmetic from overflowing.
    private const long MaxTimeoutMicroseconds = 365L * 24 * 3600 * 1_000_000;

    /// <summary>The batcher's priority level (null = default) and queue timeout (null = the model's), or a 400 that says what is accepted.</summary>
    internal (int? Priority, TimeSpan? Timeout) Resolve(string model, ModelConfig config)
    {
        var levels = config.DynamicBatching?.PriorityLevels ?? 0;
        int? priority = null;
        if (Priority is { } p && p != 0)
        {
            if (p < 0 || (levels > 0 && p > levels))
            {
                var accepted = levels > 0 ? $"0 (the default level) to {levels}" : "0 or more (model '" + model + "' has one priority level, so any is served alike)";
                throw InferenceException.BadRequest($"parameters.priority must be an integer from {accepted}, got {p}.");
            }

            // With one level Triton ignores the priority.
            priority = levels > 0 ? (int)p : null;
        }

        TimeSpan? timeout = null;
        if (TimeoutMicroseconds is { } t && t != 0)
        {
            if (t < 0)
            {
                throw InferenceException.BadRequest($"parameters.timeout must be an integer number of microseconds >= 0 (0 = the model's default), got {t}.");
            }

            timeout = t > MaxTimeoutMicroseconds ? null : TimeSpan.FromMicroseconds(t);
        }

        return (priority, timeout);
    }
}

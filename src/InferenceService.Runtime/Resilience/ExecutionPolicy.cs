namespace InferenceService.Runtime.Resilience;

/// <summary>How execution is guarded, for every model version (the host binds and validates it from configuration).</summary>
public sealed record ExecutionPolicy
{
    /// <summary>A model version whose executions keep failing is cut off (503 at once) for <see cref="BreakDuration"/>.</summary>
    public bool CircuitBreakerEnabled { get; init; } = true;

    /// <summary>Share of failed executions within <see cref="SamplingDuration"/> that opens the breaker.</summary>
    public double FailureRatio { get; init; } = 0.5;

    /// <summary>Executions within <see cref="SamplingDuration"/> before the ratio counts.</summary>
    public int MinimumThroughput { get; init; } = 10;

    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the breaker stays open before one trial request is let through (half-open).</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest a request may spend in the runner (queue + execution); null: no limit beyond the model's queue timeout.</summary>
    public TimeSpan? ExecutionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a model version's load after a transient file error (IOException other than a missing file).</summary>
    public int LoadRetryAttempts { get; init; } = 3;

    /// <summary>First retry delay; doubles per attempt, with jitter.</summary>
    public TimeSpan LoadRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public static ExecutionPolicy Default { get; } = new();
}

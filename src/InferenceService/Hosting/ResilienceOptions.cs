using System.ComponentModel.DataAnnotations;
using InferenceService.Runtime.Resilience;

namespace InferenceService.Hosting;

/// <summary>The <c>Resilience</c> configuration section: Polly policies around model execution and loading.</summary>
public sealed class ResilienceOptions : IValidatableObject
{
    public const string Section = "Resilience";

    /// <summary>A circuit breaker per model version around execution.</summary>
    public bool CircuitBreakerEnabled { get; set; } = true;

    /// <summary>Share of failed executions (engine errors, execution timeouts) within the sampling window that opens the breaker.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Executions within the sampling window before the ratio is judged.</summary>
    [Range(2, 1_000_000)]
    public int MinimumThroughput { get; set; } = 10;

    [Range(0.5, 86_400)]
    public double SamplingDurationSeconds { get; set; } = 30;

    /// <summary>How long an open breaker answers 503 before letting a trial request through (half-open).</summary>
    [Range(0.5, 86_400)]
    public double BreakDurationSeconds { get; set; } = 15;

    /// <summary>Longest time a request may spend in the runner (queue + execution), answered 504 after it; 0: off.</summary>
    [Range(0, 3_600)]
    public double ExecutionTimeoutSeconds { get; set; } = 60;

    /// <summary>Retries of a model load after a transient file error.</summary>
    [Range(0, 10)]
    public int LoadRetryAttempts { get; set; } = 3;

    [Range(1, 60_000)]
    public int LoadRetryDelayMilliseconds { get; set; } = 200;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // At least 10 ms (the floor of Polly's timeout strategy, which timed executions before ExecutionDeadline): a smaller
        // positive value is a typo for seconds vs milliseconds.
        if (ExecutionTimeoutSeconds is > 0 and < 0.01)
        {
            yield return new ValidationResult(
                $"Resilience:ExecutionTimeoutSeconds ({ExecutionTimeoutSeconds}) must be 0 (off) or at least 0.01.",
                [nameof(ExecutionTimeoutSeconds)]);
        }
    }

    public ExecutionPolicy ToPolicy() => new()
    {
        CircuitBreakerEnabled = CircuitBreakerEnabled,
        FailureRatio = FailureRatio,
        MinimumThroughput = MinimumThroughput,
        SamplingDuration = TimeSpan.FromSeconds(SamplingDurationSeconds),
        BreakDuration = TimeSpan.FromSeconds(BreakDurationSeconds),
        ExecutionTimeout = ExecutionTimeoutSeconds > 0 ? TimeSpan.FromSeconds(ExecutionTimeoutSeconds) : null,
        LoadRetryAttempts = LoadRetryAttempts,
        LoadRetryDelay = TimeSpan.FromMilliseconds(LoadRetryDelayMilliseconds),
    };
}

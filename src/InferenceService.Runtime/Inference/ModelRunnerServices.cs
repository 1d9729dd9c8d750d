using InferenceService.Runtime.Caching;
using InferenceService.Runtime.Resilience;

namespace InferenceService.Runtime.Inference;

/// <summary>What the host gives every runner: the execution policy (Polly) and the shared response cache, if enabled.</summary>
public sealed record ModelRunnerServices(ExecutionPolicy Policy, ResponseCache? Cache)
{
    public static ModelRunnerServices None { get; } = new(ExecutionPolicy.Default with { CircuitBreakerEnabled = false, ExecutionTimeout = null }, null);

    /// <summary>
    /// Test seam, never set by the host or by configuration: wraps each version's executor (model name, the session
    /// pool) so a test can make a model's engine fail on purpose and watch the breaker. Null: the pool itself.
    /// </summary>
    public Func<string, IBatchExecutor, IBatchExecutor>? ExecutorFaults { get; init; }
}

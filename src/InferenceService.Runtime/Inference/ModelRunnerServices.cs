using InferenceService.Runtime.Caching;
using InferenceService.Runtime.Resilience;

namespace InferenceService.Runtime.Inference;

/// <summary>What the host gives every runner: the execution policy (Polly) and the shared response cache, if enabled.</summary>
public sealed record ModelRunnerServices(ExecutionPolicy Policy, ResponseCache? Cache)
{
    public static ModelRunnerServices None { get; } = new(ExecutionPolicy.Default with { CircuitBreakerEnabled = false, ExecutionTimeout = null }, null);
}

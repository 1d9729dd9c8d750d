using InferenceService.Runtime.Repository;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InferenceService.Hosting;

/// <summary>Start-up probe: healthy once the first attempt to load every model has finished.</summary>
internal sealed class StartupHealthCheck(ModelRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(registry.StartupComplete ? HealthCheckResult.Healthy("models loaded") : HealthCheckResult.Unhealthy("loading models"));
}

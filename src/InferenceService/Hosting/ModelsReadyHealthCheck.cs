using InferenceService.Runtime.Repository;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InferenceService.Hosting;

/// <summary>Ready only when every configured model version is loaded and warmed; the text says what is loaded now.</summary>
internal sealed class ModelsReadyHealthCheck(ModelRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(registry.IsReady ? HealthCheckResult.Healthy(registry.Readiness) : HealthCheckResult.Unhealthy(registry.Readiness));
}

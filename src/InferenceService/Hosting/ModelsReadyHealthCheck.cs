using InferenceService.Runtime.Repository;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InferenceService.Hosting;

/// <summary>Ready only when every configured model version is loaded and warmed.</summary>
internal sealed class ModelsReadyHealthCheck(ModelManager manager) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (manager.IsReady)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{manager.Models.Count} model(s) ready"));
        }

        var notReady = manager.Models.Values.SelectMany(m => m.Versions)
            .Where(v => v.State != ModelState.Ready)
            .Select(v => $"{v.Name}/{v.Version}: {v.State}{(v.Reason is null ? string.Empty : " (" + v.Reason + ")")}");
        return Task.FromResult(HealthCheckResult.Unhealthy("not ready: " + string.Join("; ", notReady)));
    }
}

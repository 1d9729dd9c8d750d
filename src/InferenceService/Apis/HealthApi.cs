using InferenceService.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace InferenceService.Apis;

/// <summary>Kubernetes probes: liveness never depends on models; readiness needs every model warmed.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
            .WithTags("Health").WithSummary("Liveness: the process is up (never depends on models).");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(HealthTags.Ready) })
            .WithTags("Health").WithSummary("Readiness: every configured model is loaded and warmed.");
        app.MapHealthChecks("/health/startup", new HealthCheckOptions { Predicate = c => c.Tags.Contains(HealthTags.Startup) })
            .WithTags("Health").WithSummary("Start-up: the first load of every model has finished.");
        return app;
    }
}

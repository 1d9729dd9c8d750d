using InferenceService.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InferenceService.Apis;

/// <summary>Kubernetes probes: liveness never depends on models; readiness needs every model warmed.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health");
        health.MapGet("/live", () => TypedResults.Ok(new HealthResponse("Healthy", [])))
            .WithName("Live").WithSummary("Liveness: the process is up (never depends on models).");
        health.MapGet("/ready", (HealthCheckService checks, CancellationToken ct) => Check(checks, HealthTags.Ready, ct))
            .WithName("Ready").WithSummary("Readiness: 200 when every configured model is loaded and warmed, else 503.");
        health.MapGet("/startup", (HealthCheckService checks, CancellationToken ct) => Check(checks, HealthTags.Startup, ct))
            .WithName("Startup").WithSummary("Start-up: 200 once the first load of every model has finished, else 503.");
        return app;
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Check(HealthCheckService checks, string tag, CancellationToken cancellationToken)
    {
        var report = await checks.CheckHealthAsync(c => c.Tags.Contains(tag), cancellationToken).ConfigureAwait(false);
        var body = new HealthResponse(report.Status.ToString(), report.Entries.Select(e => new HealthEntry(e.Key, e.Value.Status.ToString(), e.Value.Description)).ToList());
        return report.Status == HealthStatus.Healthy ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>A probe's answer: overall status and each check's.</summary>
public sealed record HealthResponse(string Status, IReadOnlyList<HealthEntry> Checks);

public sealed record HealthEntry(string Name, string Status, string? Description);

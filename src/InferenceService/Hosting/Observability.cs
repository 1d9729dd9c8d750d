using System.Threading.RateLimiting;
using InferenceService.Runtime.Caching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Telemetry;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace InferenceService.Hosting;

/// <summary>
/// OpenTelemetry (traces, metrics, logs), the Prometheus scrape endpoint, Polly options, the response cache and the
/// per-client rate limiter. OTLP export is switched on by <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.
/// </summary>
public static class Observability
{
    public const string MetricsPath = "/metrics";
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<ResilienceOptions>().BindConfiguration(ResilienceOptions.Section);
        services.AddSingleton<IValidateOptions<ResilienceOptions>, ResilienceOptionsValidator>();
        services.AddOptionsWithValidateOnStart<ResponseCacheOptions>().BindConfiguration(ResponseCacheOptions.Section);
        services.AddSingleton<IValidateOptions<ResponseCacheOptions>, ResponseCacheOptionsValidator>();
        services.AddOptionsWithValidateOnStart<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.Section);
        services.AddSingleton<IValidateOptions<RateLimitingOptions>, RateLimitingOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var cache = sp.GetRequiredService<IOptions<ResponseCacheOptions>>().Value;
            return new ModelRunnerServices(
                sp.GetRequiredService<IOptions<ResilienceOptions>>().Value.ToPolicy(),
                cache.MaxBytes > 0 ? new ResponseCache(cache.MaxBytes) : null);
        });

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitingOptions>>((limiter, options) => ConfigureRateLimiter(limiter, options.Value));

        // Trace and span ids on every log line (console scopes and OTLP logs); ASP.NET Core adds RequestId and RequestPath,
        // and the request span's tags carry the V2 request id (inference.request_id).
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId | ActivityTrackingOptions.Tags);
        builder.Logging.AddSimpleConsole(o => o.IncludeScopes = true);
        // Levels and console format changed at run time through POST /v2/logging (Triton's logging extension).
        RuntimeLogSettings.AddTo(services);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        var tritonNames = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>()?.TritonNames ?? true;
        if (otlp)
        {
            builder.Logging.AddOpenTelemetry(o =>
            {
                o.IncludeScopes = true;
                o.IncludeFormattedMessage = true;
                o.AddOtlpExporter();
            });
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } serviceName ? serviceName : DefaultServiceName));
        if (otlp)
        {
            // Spans only when they go somewhere: without an exporter, recording them (tags, the request span's listener,
            // the batch spans) cost CPU on every request and were then dropped. Log lines keep their trace
            // and span ids either way (ASP.NET Core starts the request activity for logging), and a traceparent is honoured.
            telemetry.WithTracing(t => t.AddSource(InferenceTelemetry.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsInfrastructure(context.Request.Path))
                .AddOtlpExporter());
        }

        telemetry.WithMetrics(m =>
            {
                m.AddMeter(InferenceTelemetry.MeterName)
                    .AddView(i => !tritonNames && i.Name.StartsWith(TritonMetrics.Prefix, StringComparison.Ordinal) ? MetricStreamConfiguration.Drop : null)
                    .AddAspNetCoreInstrumentation()
                    // .NET's built-in runtime meter: GC, JIT, thread pool, exceptions, and the process' CPU time and
                    // working set (dotnet_process_cpu_time_seconds_total, dotnet_process_memory_working_set_bytes).
                    .AddMeter(RuntimeMeterName)
                    .AddPrometheusExporter();
                if (otlp)
                {
                    m.AddOtlpExporter();
                }
            });
        return builder;
    }

    public static WebApplication UseObservability(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRateLimiter();
        app.MapPrometheusScrapingEndpoint(MetricsPath).WithTags("Observability").WithSummary("Prometheus metrics (text exposition format).");
        return app;
    }

    private const string DefaultServiceName = "inference-service";

    /// <summary>The runtime's own meter (.NET 9+), which replaced OpenTelemetry's runtime and process instrumentation.</summary>
    private const string RuntimeMeterName = "System.Runtime";

    private static bool IsInfrastructure(PathString path) =>
        path.StartsWithSegments(MetricsPath, StringComparison.Ordinal) || path.StartsWithSegments("/health", StringComparison.Ordinal)
        || path.StartsWithSegments("/v2/health", StringComparison.Ordinal);

    private static void ConfigureRateLimiter(RateLimiterOptions limiter, RateLimitingOptions options)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (!options.Enabled || IsInfrastructure(context.Request.Path))
            {
                return RateLimitPartition.GetNoLimiter(string.Empty);
            }

            var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.PermitLimit,
                Window = TimeSpan.FromSeconds(options.WindowSeconds),
                QueueLimit = options.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        });
    }
}

using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Repository.Provisioning;
using InferenceService.Runtime.Sessions;
using InferenceService.Runtime.Telemetry;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace InferenceService.Hosting;

/// <summary>Everything the host wires up, in one place: options, the model repository, health, OpenAPI, limits.</summary>
public static class ServiceDefaults
{
    public static WebApplicationBuilder AddInferenceServiceDefaults(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        CommandLinePaths.ResolveCommandLineSettings(builder.Configuration);
        GlibcMalloc.Configure();
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<ModelRepositoryOptions>().BindConfiguration(ModelRepositoryOptions.Section);
        services.AddSingleton<IValidateOptions<ModelRepositoryOptions>, ModelRepositoryOptionsValidator>();
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        services.AddOptionsWithValidateOnStart<LimitsOptions>().BindConfiguration(LimitsOptions.Section);
        services.AddSingleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>();
        services.AddOptionsWithValidateOnStart<TaskLimitsOptions>().BindConfiguration(TaskLimitsOptions.Section);
        services.AddSingleton<IValidateOptions<TaskLimitsOptions>, TaskLimitsOptionsValidator>();
        services.AddOptionsWithValidateOnStart<OpenAIOptions>().BindConfiguration(OpenAIOptions.Section);
        services.AddSingleton<IValidateOptions<OpenAIOptions>, OpenAIOptionsValidator>();
        services.AddOptionsWithValidateOnStart<TeiOptions>().BindConfiguration(TeiOptions.Section);
        services.AddOptionsWithValidateOnStart<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.Section);
        services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ForwardedHeadersSettingsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((forwarded, settings) => settings.Value.ApplyTo(forwarded));
        services.AddSingleton<IValidateOptions<TeiOptions>, TeiOptionsValidator>();
        services.AddOptionsWithValidateOnStart<CorsSettings>().BindConfiguration(CorsSettings.Section);
        services.AddSingleton<IValidateOptions<CorsSettings>, CorsSettingsValidator>();
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<CorsSettings>>((cors, settings) => settings.Value.ApplyTo(cors));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OnnxRuntimeEnvironment>();
        services.AddSingleton<ExecutionProviderCatalog>();
        services.AddSingleton(sp =>
        {
            var budget = sp.GetRequiredService<IOptions<ModelRepositoryOptions>>().Value.CoreBudget;
            return new SessionPoolFactory(sp.GetRequiredService<ExecutionProviderCatalog>(), budget > 0 ? new ExecutionBudget(budget) : null);
        });
        services.AddSingleton<ModelProvisioner>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ModelRepositoryOptions>>().Value;
            var root = sp.GetRequiredService<IHostEnvironment>().ContentRootPath;
            return new ModelRepositorySettings(Path.GetFullPath(Path.Combine(root, options.Path)), options.PackagesRoot, options.DefaultMaxBatchSize, options.StrictConfig);
        });
        builder.AddObservability();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<InferenceMeters>();
        services.AddSingleton<ModelManager>();
        services.AddSingleton<InferenceGateway>();
        services.AddSingleton<Apis.ServerExtensions>();
        services.AddSingleton<Apis.ImageIntake>();
        services.AddHostedService<ModelLoaderService>();
        // The host cancels the stop after this: it must outlast the shutdown delay and the drain.
        services.AddOptions<HostOptions>().Configure<IOptions<ModelRepositoryOptions>>((host, repository) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(repository.Value.ShutdownDelaySeconds + repository.Value.DrainTimeoutSeconds) + ModelLoaderService.ShutdownMargin);

        services.AddHealthChecks()
            .AddCheck<ModelsReadyHealthCheck>("models", tags: [HealthTags.Ready])
            .AddCheck<StartupHealthCheck>("startup", tags: [HealthTags.Startup]);

        services.AddProblemDetails();
        services.AddHttpCompression();
        services.AddOpenApi(o => o.AddDocumentTransformer<OpenApiDocumentInfo>().AddOperationTransformer<OpenApiExamples>().AddOperationTransformer<TaskOpenApiExamples>().AddSchemaTransformer<FloatArraySchema>());
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Converters.Add(new ShortestFloatArrayConverter());
        });
        services.AddGrpc(o => o.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, builder.Configuration.GetSection(LimitsOptions.Section).Get<LimitsOptions>()?.MaxRequestBodyBytes ?? new LimitsOptions().MaxRequestBodyBytes));
        services.AddGrpcReflection();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            KestrelLimits.Apply(context.Configuration.GetSection(LimitsOptions.Section).Get<LimitsOptions>() ?? new LimitsOptions(), kestrel.Limits);
            KestrelEndpoints.Configure(context, kestrel);
        });
        return builder;
    }

    public static WebApplication UseInferenceServiceDefaults(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // First, so that everything after it (rate limiting, logs, traces) sees the client behind a trusted proxy.
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.Enabled)
        {
            app.UseForwardedHeaders();
        }

        // Before anything that can answer, so a preflight is answered and refusals (429, 503) carry the CORS headers.
        if (app.Services.GetRequiredService<IOptions<CorsSettings>>().Value.Enabled)
        {
            app.UseCors();
        }

        app.UseResponseCompression();
        app.UseApiErrorShapes();
        app.UseRequestInflation();
        app.UseObservability();
        app.MapOpenApi();
        app.MapGrpcService<Apis.GrpcInferenceApi>();
        app.MapGrpcService<Apis.GrpcHealthApi>();
        app.MapGrpcReflectionService();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "InferenceService v1");
            o.RoutePrefix = "swagger";
        });
        return app;
    }
}

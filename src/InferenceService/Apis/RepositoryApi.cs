using System.Security.Cryptography;
using System.Text;
using InferenceService.Hosting;
using InferenceService.Runtime.Repository;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace InferenceService.Apis;

/// <summary>Triton's model repository extension: index, load, unload. Mapped only when an admin API key is configured.</summary>
public static class RepositoryApi
{
    public static IEndpointRouteBuilder MapRepositoryApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var admin = app.ServiceProvider.GetRequiredService<IOptions<AdminOptions>>().Value;
        if (string.IsNullOrEmpty(admin.ApiKey))
        {
            return app;
        }

        var repository = app.MapGroup("/v2/repository").WithTags("Model repository (admin)").AddEndpointFilter(RequireApiKey);
        repository.MapPost("/index", Index).WithName("RepositoryIndex").WithSummary("Every model and version with its state and reason (needs X-API-Key).");
        repository.MapPost("/models/{name}/load", Load).WithName("RepositoryModelLoad").WithSummary("Load or reload a model from its folder; a failing version never replaces the serving one (needs X-API-Key).");
        repository.MapPost("/models/{name}/unload", Unload).WithName("RepositoryModelUnload").WithSummary("Stop serving a model; in-flight requests finish first (needs X-API-Key).");
        return app;
    }

    private static Ok<IReadOnlyList<ModelIndexEntry>> Index(ModelManager manager) => TypedResults.Ok(manager.Index());

    private static async Task<Results<Ok<IReadOnlyList<ModelIndexEntry>>, JsonHttpResult<V2Error>>> Load(string name, ModelManager manager, IOptions<ModelRepositoryOptions> options, CancellationToken cancellationToken)
    {
        if (options.Value.ControlMode == ModelControlMode.None)
        {
            return Error(StatusCodes.Status400BadRequest, "Model control is disabled (ModelRepository:ControlMode is none); use explicit or poll.");
        }

        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.StartsWith('.') || !Directory.Exists(Path.Combine(manager.RepositoryPath, name)))
        {
            return Error(StatusCodes.Status404NotFound, $"No folder '{name}' in the model repository.");
        }

        try
        {
            var entry = await manager.LoadModelAsync(name, cancellationToken).ConfigureAwait(false);
            var rows = manager.Index().Where(r => r.Name == name).ToList();
            return entry.Failed.Count > 0
                ? Error(StatusCodes.Status400BadRequest, $"Model '{name}' failed to load: {string.Join("; ", entry.Failed.Select(f => $"version {f.Version}: {f.Reason}"))}. Still serving: [{string.Join(", ", entry.Versions.Select(v => v.Version))}].")
                : TypedResults.Ok<IReadOnlyList<ModelIndexEntry>>(rows);
        }
        catch (ModelConfigException e)
        {
            return Error(StatusCodes.Status400BadRequest, e.Message);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<ModelIndexEntry>>, JsonHttpResult<V2Error>>> Unload(string name, ModelManager manager, IOptions<ModelRepositoryOptions> options, CancellationToken cancellationToken)
    {
        if (options.Value.ControlMode == ModelControlMode.None)
        {
            return Error(StatusCodes.Status400BadRequest, "Model control is disabled (ModelRepository:ControlMode is none); use explicit or poll.");
        }

        return await manager.UnloadModelAsync(name, "unloaded through the repository API", cancellationToken).ConfigureAwait(false)
            ? TypedResults.Ok<IReadOnlyList<ModelIndexEntry>>(manager.Index().Where(r => r.Name == name).ToList())
            : Error(StatusCodes.Status404NotFound, $"Unknown model '{name}'.");
    }

    private static async ValueTask<object?> RequireApiKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var expected = http.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.ApiKey!;
        if (!http.Request.Headers.TryGetValue(AdminOptions.HeaderName, out var given) || string.IsNullOrEmpty(given))
        {
            return Error(StatusCodes.Status401Unauthorized, $"This route needs the admin key in the {AdminOptions.HeaderName} header.");
        }

        // Constant-time comparison; the key itself is never logged or echoed.
        var ok = CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given.ToString())),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
        return ok ? await next(context).ConfigureAwait(false) : Error(StatusCodes.Status403Forbidden, "The admin key is wrong.");
    }

    private static JsonHttpResult<V2Error> Error(int status, string message) => V2Errors.Error(status, message);
}

using InferenceService.Hosting;
using InferenceService.Runtime.Inference;
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
        if (!RepositoryControl.IsServed(admin))
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
        try
        {
            return TypedResults.Ok(await RepositoryControl.LoadAsync(manager, options.Value.ControlMode, name, cancellationToken).ConfigureAwait(false));
        }
        catch (InferenceException e)
        {
            return V2Errors.Error(V2Errors.StatusOf(e.Kind), e.Message);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<ModelIndexEntry>>, JsonHttpResult<V2Error>>> Unload(string name, ModelManager manager, IOptions<ModelRepositoryOptions> options, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await RepositoryControl.UnloadAsync(manager, options.Value.ControlMode, name, cancellationToken).ConfigureAwait(false));
        }
        catch (InferenceException e)
        {
            return V2Errors.Error(V2Errors.StatusOf(e.Kind), e.Message);
        }
    }

    /// <summary>The admin routes' filter (repository, logging): 401 without the key, 403 with a wrong one.</summary>
    internal static async ValueTask<object?> RequireApiKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var admin = http.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value;
        http.Request.Headers.TryGetValue(AdminOptions.HeaderName, out var given);
        return RepositoryControl.CheckKey(given.ToString(), admin) switch
        {
            AdminKeyCheck.Allowed => await next(context).ConfigureAwait(false),
            AdminKeyCheck.Missing => V2Errors.Error(StatusCodes.Status401Unauthorized, $"This route needs the admin key in the {AdminOptions.HeaderName} header."),
            _ => V2Errors.Error(StatusCodes.Status403Forbidden, "The admin key is wrong."),
        };
    }
}

using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferenceService.Apis;

/// <summary>
/// Triton's model configuration extension over REST: a version's configuration as Triton's ModelConfig in the
/// protobuf JSON mapping (the same message the ModelConfig RPC answers), so Triton's clients read it unchanged.
/// </summary>
public static class ModelConfigApi
{
    public static IEndpointRouteBuilder MapModelConfigApi(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2/models").WithTags("Open Inference Protocol (V2)");
        v2.MapGet("/{name}/config", (string name, ModelRegistry r) => Config(name, null, r)).WithName("V2ModelConfig")
            .WithSummary("The model's configuration as Triton's ModelConfig (JSON): inputs, outputs, batching, instances; other config.json settings under parameters.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").Produces<V2Error>(StatusCodes.Status404NotFound);
        v2.MapGet("/{name}/versions/{version}/config", Config).WithName("V2ModelVersionConfig")
            .WithSummary("The configuration of one model version.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").Produces<V2Error>(StatusCodes.Status400BadRequest).Produces<V2Error>(StatusCodes.Status404NotFound);
        return app;
    }

    private static Results<ContentHttpResult, JsonHttpResult<V2Error>> Config(string name, string? version, ModelRegistry registry)
    {
        try
        {
            return TypedResults.Text(TritonJson.Format(TritonModelConfig.From(registry.Lookup(name, version))), "application/json");
        }
        catch (InferenceException e)
        {
            return V2Errors.Error(V2Errors.StatusOf(e.Kind), e.Message);
        }
    }
}

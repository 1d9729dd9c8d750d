using System.Text.Json;
using InferenceService.Runtime.Protocol;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Apis;

/// <summary>Streams a V2 infer response straight to the body, without an intermediate DOM.</summary>
internal sealed class V2InferResult(string model, long version, string? id, IReadOnlyList<Tensor> outputs) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, new JsonWriterOptions { SkipValidation = true }))
        {
            V2JsonResponseWriter.Write(writer, model, version, id, outputs);
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}

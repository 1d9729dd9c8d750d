using System.Text.Json;
using InferenceService.Runtime.Pipelines;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace InferenceService.Apis;

/// <summary>Reads a JSON request body of a text endpoint within Tasks:MaxTextBodyBytes; malformed JSON is a 400 that says where.</summary>
internal static class TaskJson
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        var body = await TaskBody.ReadAsync(request, maxBytes, "Tasks:MaxTextBodyBytes", cancellationToken).ConfigureAwait(false);
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            return JsonSerializer.Deserialize<T>(body, options) ?? throw PipelineException.BadRequest("The body is JSON null; send a JSON object.");
        }
        catch (JsonException e)
        {
            throw PipelineException.BadRequest($"The body is not valid JSON for this endpoint (at {e.Path ?? "$"}, line {e.LineNumber}): {e.Message}");
        }
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferenceService.Apis;

/// <summary>
/// Errors of the OpenAI-compatible routes in OpenAI's shape, so that OpenAI's SDKs surface them as they would
/// OpenAI's own: 4xx are <c>invalid_request_error</c>, 5xx <c>server_error</c>.
/// </summary>
internal static class OpenAIErrors
{
    public static async Task<Results<Ok<T>, JsonHttpResult<OpenAIErrorResponse>>> RunAsync<T>(HttpResponse response, Func<Task<T>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        try
        {
            return TypedResults.Ok(await handler().ConfigureAwait(false));
        }
        catch (Exception e) when (TryCreate(e, response, out var error))
        {
            return error;
        }
    }

    /// <summary>Maps what the handlers, the pipeline and the gateway throw for the client; anything else propagates (500).</summary>
    public static bool TryCreate(Exception exception, HttpResponse response, [NotNullWhen(true)] out JsonHttpResult<OpenAIErrorResponse>? error)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (exception is InferenceException { RetryAfterSeconds: { } retry })
        {
            response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        }

        error = exception switch
        {
            OpenAIException e => Error(e.Status, e.Message, e.Param, e.Code),
            CompatInputException e => Error(StatusCodes.Status400BadRequest, e.Message, e.Field),
            PipelineException { Kind: PipelineErrorKind.NotFound } e => Error(StatusCodes.Status404NotFound, e.Message, "model", "model_not_found"),
            PipelineException e => Error(TaskProblems.StatusOf(e.Kind), e.Message),
            InferenceException e => Error(V2Errors.StatusOf(e.Kind), e.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e => Error(StatusCodes.Status413PayloadTooLarge, e.Message),
            _ => null,
        };
        return error is not null;
    }

    public static JsonHttpResult<OpenAIErrorResponse> Error(int status, string message, string? param = null, string? code = null) =>
        TypedResults.Json(Body(status, message, param, code), statusCode: status);

    public static OpenAIErrorResponse Body(int status, string message, string? param = null, string? code = null) =>
        new(new OpenAIError(message, status >= StatusCodes.Status500InternalServerError ? "server_error" : "invalid_request_error", param, code));
}

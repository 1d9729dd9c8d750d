using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferenceService.Apis;

/// <summary>
/// Errors of the TEI-compatible routes with TEI's statuses and error types (router/src/http/server.rs): 400 Empty
/// (no input, an empty text), 413 Validation (a limit: batch size, tokens without truncate, characters, body bytes),
/// 422 a body or input that cannot be read, 424 Backend (the model is not a text embedder or the engine failed),
/// 429 Overloaded (queue timeout), 503 Unhealthy (not ready, shutting down, queue full; with Retry-After).
/// </summary>
internal static class TeiErrors
{
    public const string Empty = "Empty";
    public const string Validation = "Validation";
    public const string Backend = "Backend";
    public const string Overloaded = "Overloaded";
    public const string Unhealthy = "Unhealthy";

    public static async Task<Results<Ok<T>, JsonHttpResult<TeiErrorResponse>>> RunAsync<T>(HttpResponse response, Func<Task<T>> handler)
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
    public static bool TryCreate(Exception exception, HttpResponse response, [NotNullWhen(true)] out JsonHttpResult<TeiErrorResponse>? error)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (exception is InferenceException { RetryAfterSeconds: { } retry })
        {
            response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        }

        error = exception switch
        {
            TeiException e => Error(e.Status, e.ErrorType, e.Message),
            CompatInputException { Error: CompatInputError.Empty } e => Error(StatusCodes.Status400BadRequest, Empty, e.Message),
            CompatInputException { Error: CompatInputError.TooLong } e => Error(StatusCodes.Status413PayloadTooLarge, Validation, e.Message),
            CompatInputException e => Error(StatusCodes.Status422UnprocessableEntity, Validation, e.Message),
            PipelineException { Kind: PipelineErrorKind.TooLarge } e => Error(StatusCodes.Status413PayloadTooLarge, Validation, e.Message),
            PipelineException { Kind: PipelineErrorKind.NotFound or PipelineErrorKind.Misconfigured } e => Error(StatusCodes.Status424FailedDependency, Backend, e.Message),
            PipelineException e => Error(StatusCodes.Status422UnprocessableEntity, Validation, e.Message),
            InferenceException { Kind: InferenceErrorKind.BadRequest } e => Error(StatusCodes.Status422UnprocessableEntity, Validation, e.Message),
            InferenceException { Kind: InferenceErrorKind.Unavailable } e => Error(StatusCodes.Status503ServiceUnavailable, Unhealthy, e.Message),
            InferenceException { Kind: InferenceErrorKind.Timeout } e => Error(StatusCodes.Status429TooManyRequests, Overloaded, e.Message),
            InferenceException e => Error(StatusCodes.Status424FailedDependency, Backend, e.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } e => Error(StatusCodes.Status413PayloadTooLarge, Validation, e.Message),
            _ => null,
        };
        return error is not null;
    }

    public static JsonHttpResult<TeiErrorResponse> Error(int status, string errorType, string message) =>
        TypedResults.Json(new TeiErrorResponse(message, errorType), statusCode: status);

    /// <summary>An error no handler wrote (unknown route, wrong method, unhandled exception), typed by its status.</summary>
    public static TeiErrorResponse Body(int status, string message) => new(message, status switch
    {
        StatusCodes.Status429TooManyRequests => Overloaded,
        StatusCodes.Status503ServiceUnavailable => Unhealthy,
        >= StatusCodes.Status500InternalServerError or StatusCodes.Status424FailedDependency => Backend,
        _ => Validation,
    });
}

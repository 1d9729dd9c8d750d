using System.Globalization;
using InferenceService.Runtime.Inference;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferenceService.Apis;

/// <summary>The one mapping from a request's error to the V2 REST shape, <c>{"error": "..."}</c>, and its status.</summary>
internal static class V2Errors
{
    public static JsonHttpResult<V2Error> From(InferenceException error, HttpResponse response)
    {
        if (error.RetryAfterSeconds is { } retry)
        {
            response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        }

        return Error(StatusOf(error.Kind), error.Message);
    }

    public static JsonHttpResult<V2Error> Error(int status, string message) => TypedResults.Json(new V2Error(message), statusCode: status);

    public static int StatusOf(InferenceErrorKind kind) => kind switch
    {
        InferenceErrorKind.BadRequest => StatusCodes.Status400BadRequest,
        InferenceErrorKind.NotFound => StatusCodes.Status404NotFound,
        InferenceErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        InferenceErrorKind.Timeout => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };
}

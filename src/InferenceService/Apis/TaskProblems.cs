using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferenceService.Apis;

/// <summary>problem+json answers of the task endpoints: every refusal says what was wrong and, for limits, what the limit is.</summary>
internal static class TaskProblems
{
    /// <summary>
    /// Maps the exceptions pre-processing, the runner and body reading throw for the client; anything else propagates
    /// (500). A refusal worth retrying (shutting down, queue full, breaker open) also sets Retry-After on the response.
    /// </summary>
    public static bool TryCreate(Exception exception, HttpResponse response, [NotNullWhen(true)] out ProblemHttpResult? problem)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (exception is InferenceException { RetryAfterSeconds: { } retry })
        {
            response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        }

        problem = exception switch
        {
            PipelineException e => Problem(StatusOf(e.Kind), e.Message),
            InferenceException e => Problem(V2Errors.StatusOf(e.Kind), e.Message),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge or StatusCodes.Status400BadRequest } e => Problem(e.StatusCode, e.Message),
            _ => null,
        };
        return problem is not null;
    }

    /// <summary>A 400 naming the offending field, e.g. a k or a count over its limit.</summary>
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message);

    public static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail: detail, statusCode: status);

    public static int StatusOf(PipelineErrorKind kind) => kind switch
    {
        PipelineErrorKind.BadRequest => StatusCodes.Status400BadRequest,
        PipelineErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        PipelineErrorKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        PipelineErrorKind.NotFound => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status500InternalServerError,
    };
}

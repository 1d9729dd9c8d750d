using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace InferenceService.Hosting;

/// <summary>
/// Errors no handler wrote (unknown routes, wrong methods, unreadable requests, unhandled exceptions) in the shape of
/// the API family the path belongs to: <c>{"error": "..."}</c> under /v2, OpenAI's <c>{"error": {...}}</c> under
/// /v1/embeddings and /v1/models, TEI's <c>{"error", "error_type"}</c> on TEI's routes, problem+json elsewhere.
/// </summary>
internal static class ApiErrorShapes
{
    public static WebApplication UseApiErrorShapes(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = http =>
            {
                var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
                return error is BadHttpRequestException bad
                    ? WriteAsync(http, bad.StatusCode, bad.Message)
                    : WriteAsync(http, StatusCodes.Status500InternalServerError, "The server failed while handling this request; the error is logged.");
            },
        });
        app.UseStatusCodePages(context => WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode, null));
        return app;
    }

    /// <summary>An error in the shape of the path's API family; a null detail is filled in for the common statuses.</summary>
    public static Task WriteAsync(HttpContext http, int status, string? detail)
    {
        var request = http.Request;
        detail ??= status switch
        {
            StatusCodes.Status404NotFound => $"No route {request.Method} {request.Path}; the routes are listed at /openapi/v1.json.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}{(http.Response.Headers.Allow.Count > 0 ? "; allowed: " + http.Response.Headers.Allow : string.Empty)}.",
            StatusCodes.Status415UnsupportedMediaType => $"Content-Type '{request.ContentType}' is not accepted by {request.Method} {request.Path}.",
            _ => $"{ReasonPhrases.GetReasonPhrase(status)}: {request.Method} {request.Path} could not be handled as sent.",
        };
        http.Response.StatusCode = status;
        if (request.Path.StartsWithSegments("/v2", StringComparison.Ordinal))
        {
            return http.Response.WriteAsJsonAsync(new Apis.V2Error(detail));
        }

        if (Apis.OpenAIApi.Owns(request.Path))
        {
            return http.Response.WriteAsJsonAsync(Apis.OpenAIErrors.Body(status, detail));
        }

        if (Apis.TeiApi.Owns(request.Path, request.Method))
        {
            return http.Response.WriteAsJsonAsync(Apis.TeiErrors.Body(status, detail));
        }

        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = ReasonPhrases.GetReasonPhrase(status), Detail = detail },
        }).AsTask();
    }
}

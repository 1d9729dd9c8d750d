using System.Net;

namespace InferenceService.Client;

/// <summary>
/// The service refused or failed a request: its status code, its message (the V2 <c>{"error"}</c> or the task routes'
/// problem <c>detail</c>) and, for a refusal worth retrying (a 503 while shutting down, a full queue), when to retry.
/// </summary>
public sealed class InferenceServiceException : Exception
{
    /// <summary>An error without a response (prefer the status code constructor).</summary>
    public InferenceServiceException()
    {
    }

    /// <summary>An error without a response (prefer the status code constructor).</summary>
    public InferenceServiceException(string message)
        : base(message)
    {
    }

    /// <summary>An error without a response (prefer the status code constructor).</summary>
    public InferenceServiceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The service answered <paramref name="statusCode"/> with <paramref name="message"/>.</summary>
    public InferenceServiceException(HttpStatusCode statusCode, string message, TimeSpan? retryAfter = null)
        : base(message)
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status: 400 bad input, 401/403 admin key, 404 unknown model or version, 413 too large, 503 not ready or busy, 504 timed out.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The response's <c>Retry-After</c>: how long to wait before trying again; null when the service gave none.</summary>
    public TimeSpan? RetryAfter { get; }
}

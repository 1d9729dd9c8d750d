namespace InferenceService.Apis;

/// <summary>The body exceeds the configured limit (413).</summary>
internal sealed class RequestBodyTooLargeException(long limit)
    : Exception($"The request body exceeds the limit of {limit} bytes (Limits:MaxRequestBodyBytes).");

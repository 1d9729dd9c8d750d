namespace InferenceService.Tests.Reliability;

/// <summary>One request's outcome: HTTP status (0 when no response came), latency, the body of a non-2xx.</summary>
internal readonly record struct LoadSample(TimeSpan SentAt, int Status, double LatencyMs, string? Error, string? RetryAfter);

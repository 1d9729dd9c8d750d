using System.ComponentModel.DataAnnotations;

namespace InferenceService.Hosting;

/// <summary>
/// The <c>RateLimiting</c> configuration section: a fixed window of requests per client (remote IP address), off by
/// default. Health probes and /metrics are never limited. Refused requests get 429.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    public bool Enabled { get; set; }

    /// <summary>Requests a client may make per window.</summary>
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 100;

    [Range(0.01, 3_600)]
    public double WindowSeconds { get; set; } = 1;

    /// <summary>Requests over the limit that wait for the next window instead of being refused.</summary>
    [Range(0, 100_000)]
    public int QueueLimit { get; set; }
}

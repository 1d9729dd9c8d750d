using System.ComponentModel.DataAnnotations;

namespace InferenceService.Hosting;

/// <summary>
/// The <c>Limits</c> configuration section: what one client may hold of the server. Kestrel enforces the connection
/// limits, so a slow or idle client is ended by the server and never holds a thread or a model's queue.
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Request bodies larger than this are refused with 413.</summary>
    [Range(1024, 2L * 1024 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// A request body that arrives slower than this (after <see cref="MinRequestBodyGraceSeconds"/>) is ended with 408
    /// and its connection closed: a client trickling a byte a second cannot hold a connection for hours. Kestrel's default.
    /// </summary>
    [Range(1, 1024 * 1024)]
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>How long a body may start slowly before <see cref="MinRequestBodyBytesPerSecond"/> counts; more than Kestrel's 1 s heartbeat. Kestrel's default.</summary>
    [Range(2, 3600)]
    public double MinRequestBodyGraceSeconds { get; set; } = 5;

    /// <summary>
    /// An idle keep-alive connection is closed after this. Kestrel's default; keep it above the idle timeout of any
    /// load balancer in front (often 60 s), or the balancer may reuse a connection the service is closing (a 502).
    /// </summary>
    [Range(1, 3600)]
    public double KeepAliveTimeoutSeconds { get; set; } = 130;

    /// <summary>A client that has not sent its request headers within this is ended. Kestrel's default.</summary>
    [Range(1, 3600)]
    public double RequestHeadersTimeoutSeconds { get; set; } = 30;

    /// <summary>Open connections (HTTP/1.1 and HTTP/2 together) beyond this are closed at once; 0: no limit (Kestrel's default).</summary>
    [Range(0, 10_000_000)]
    public long MaxConcurrentConnections { get; set; }
}

using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace InferenceService.Hosting;

/// <summary>
/// The <c>Limits</c> section onto Kestrel. Kestrel reads options before the host validates them, so the values are
/// the configured ones as bound; <see cref="LimitsOptionsValidator"/> still stops start-up on a bad one.
/// </summary>
internal static class KestrelLimits
{
    public static void Apply(LimitsOptions limits, KestrelServerLimits kestrel)
    {
        kestrel.MaxRequestBodySize = limits.MaxRequestBodyBytes;
        kestrel.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(limits.MinRequestBodyGraceSeconds));
        kestrel.KeepAliveTimeout = TimeSpan.FromSeconds(limits.KeepAliveTimeoutSeconds);
        kestrel.RequestHeadersTimeout = TimeSpan.FromSeconds(limits.RequestHeadersTimeoutSeconds);
        kestrel.MaxConcurrentConnections = limits.MaxConcurrentConnections > 0 ? limits.MaxConcurrentConnections : null;
    }
}

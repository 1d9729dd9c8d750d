using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace InferenceService.Hosting;

/// <summary>One address the service listens on, and the setting that chose it (what to change when its port is taken).</summary>
/// <param name="Host">"*", "+", "0.0.0.0", "localhost" or an IP address.</param>
internal sealed record ServiceEndpoint(string Url, string Host, int Port, HttpProtocols Protocols, string Setting)
{
    public string Api => Protocols == HttpProtocols.Http2 ? "gRPC" : "REST";

    public bool IsAnyAddress => Host is "*" or "+" or "0.0.0.0";

    public bool IsLocalhost => Host.Equals("localhost", StringComparison.OrdinalIgnoreCase);
}

using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace InferenceService.Hosting;

/// <summary>
/// Listens on the usual ASP.NET Core URLs (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>) for
/// REST, plus the gRPC URL (<c>Grpc:Url</c>, HTTP/2 cleartext) on its own port, as Triton does (8000 / 8001).
/// Explicit listen calls replace the URL settings, so both are bound here.
/// </summary>
internal static class KestrelEndpoints
{
    public const string DefaultHttpUrl = "http://127.0.0.1:8000";
    public const string DefaultGrpcUrl = "http://127.0.0.1:8001";

    public static void Configure(WebHostBuilderContext context, KestrelServerOptions kestrel)
    {
        var configuration = context.Configuration;
        var urls = configuration["urls"];
        if (string.IsNullOrWhiteSpace(urls))
        {
            urls = configuration["http_ports"] is { Length: > 0 } ports
                ? string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => $"http://*:{p.Trim()}"))
                : DefaultHttpUrl;
        }

        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Listen(kestrel, url, HttpProtocols.Http1);
        }

        var grpc = configuration["Grpc:Url"] ?? DefaultGrpcUrl;
        if (!string.IsNullOrWhiteSpace(grpc))
        {
            Listen(kestrel, grpc, HttpProtocols.Http2);
        }
    }

    private static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols)
    {
        // "http://*:8000" and "http://+:8000" are not valid URIs for Uri; read host and port by hand.
        var rest = url["http://".Length..].TrimEnd('/');
        if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Only http:// URLs are supported here (TLS terminates in front of the service), got '{url}'.");
        }

        var colon = rest.LastIndexOf(':');
        var host = colon > 0 ? rest[..colon].Trim('[', ']') : rest;
        var port = colon > 0 ? int.Parse(rest[(colon + 1)..], CultureInfo.InvariantCulture) : 80;
        Action<ListenOptions> configure = o => o.Protocols = protocols;
        if (host is "*" or "+" or "0.0.0.0")
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(port, configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(host), port, configure);
        }
    }
}

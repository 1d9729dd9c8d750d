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
        foreach (var endpoint in Read(context.Configuration))
        {
            Action<ListenOptions> configure = o => o.Protocols = endpoint.Protocols;
            if (endpoint.IsAnyAddress)
            {
                kestrel.ListenAnyIP(endpoint.Port, configure);
            }
            else if (endpoint.IsLocalhost)
            {
                kestrel.ListenLocalhost(endpoint.Port, configure);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(endpoint.Host), endpoint.Port, configure);
            }
        }
    }

    /// <summary>The endpoints the configuration asks for, REST first, each with the setting that names it.</summary>
    public static IReadOnlyList<ServiceEndpoint> Read(IConfiguration configuration)
    {
        var endpoints = new List<ServiceEndpoint>();
        var urls = configuration["urls"];
        var setting = "--urls or ASPNETCORE_URLS";
        if (string.IsNullOrWhiteSpace(urls))
        {
            if (configuration["http_ports"] is { Length: > 0 } ports)
            {
                urls = string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => $"http://*:{p.Trim()}"));
                setting = "ASPNETCORE_HTTP_PORTS";
            }
            else
            {
                urls = DefaultHttpUrl;
            }
        }

        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            endpoints.Add(Parse(url, HttpProtocols.Http1, setting));
        }

        var grpc = configuration["Grpc:Url"] ?? DefaultGrpcUrl;
        if (!string.IsNullOrWhiteSpace(grpc))
        {
            endpoints.Add(Parse(grpc, HttpProtocols.Http2, "Grpc:Url (Grpc__Url)"));
        }

        return endpoints;
    }

    private static ServiceEndpoint Parse(string url, HttpProtocols protocols, string setting)
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
        return new ServiceEndpoint(url, host, port, protocols, setting);
    }
}

using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace InferenceService.Tests.Hosting;

/// <summary>
/// Rate limiting behind a proxy: one permit per client per hour, so a second request in the same bucket gets 429.
/// The proxy is 10.0.0.5 (trusted by address) or anything in 10.1.0.0/16 (trusted by network).
/// </summary>
public sealed class ForwardedHeadersTests
{
    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("10.1.2.3")]
    public async Task RateLimit_ForwardedByATrustedProxy_IsPartitionedByTheForwardedClient(string proxy)
    {
        using var service = StartLimited(trusted: true);
        using var client = await service.StartAsync();

        var first = await SendAsync(service, proxy, "203.0.113.7");
        var otherClient = await SendAsync(service, proxy, "203.0.113.8");
        var firstAgain = await SendAsync(service, proxy, "203.0.113.7");

        Assert.Equal((200, "203.0.113.7"), first);
        Assert.Equal((200, "203.0.113.8"), otherClient);
        Assert.Equal(429, firstAgain.Status);
    }

    [Fact]
    public async Task RateLimit_ForwardedByAnUntrustedSender_IgnoresTheHeader()
    {
        using var service = StartLimited(trusted: true);
        using var client = await service.StartAsync();

        var first = await SendAsync(service, "192.0.2.9", "203.0.113.7");
        var claimsAnotherClient = await SendAsync(service, "192.0.2.9", "203.0.113.8");

        Assert.Equal((200, "192.0.2.9"), first);
        Assert.Equal(429, claimsAnotherClient.Status);
    }

    [Fact]
    public async Task RateLimit_NoTrustedProxiesConfigured_IgnoresTheHeader()
    {
        using var service = StartLimited(trusted: false);
        using var client = await service.StartAsync();

        var first = await SendAsync(service, "10.0.0.5", "203.0.113.7");
        var claimsAnotherClient = await SendAsync(service, "10.0.0.5", "203.0.113.8");

        Assert.Equal((200, "10.0.0.5"), first);
        Assert.Equal(429, claimsAnotherClient.Status);
    }

    [Fact]
    public void Start_MalformedProxyAddress_FailsNamingTheSetting()
    {
        using var service = new CustomService(new() { ["ForwardedHeaders:KnownNetworks:0"] = "10.1.0.0/99" });

        var e = Assert.ThrowsAny<Exception>(() => service.CreateClient());

        Assert.Contains("ForwardedHeaders:KnownNetworks: '10.1.0.0/99'", e.ToString(), StringComparison.Ordinal);
    }

    private static CustomService StartLimited(bool trusted)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:PermitLimit"] = "1",
            ["RateLimiting:WindowSeconds"] = "3600",
        };
        if (trusted)
        {
            settings["ForwardedHeaders:KnownProxies:0"] = "10.0.0.5";
            settings["ForwardedHeaders:KnownNetworks:0"] = "10.1.0.0/16";
        }

        return new CustomService(settings);
    }

    /// <summary>GET /v2 from <paramref name="from"/> carrying X-Forwarded-For; the status and the address the app saw.</summary>
    private static async Task<(int Status, string? Client)> SendAsync(CustomService service, string from, string forwardedFor)
    {
        string? seen = null;
        var context = await service.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = "/v2";
            c.Request.Headers["X-Forwarded-For"] = forwardedFor;
            c.Connection.RemoteIpAddress = IPAddress.Parse(from);
            c.Response.OnStarting(() =>
            {
                seen = c.Connection.RemoteIpAddress?.ToString();
                return Task.CompletedTask;
            });
        });
        return (context.Response.StatusCode, context.Response.StatusCode == 200 ? seen : null);
    }
}

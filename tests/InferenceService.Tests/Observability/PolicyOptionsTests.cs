using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace InferenceService.Tests.Observability;

/// <summary>Polly, cache and rate-limit settings are validated at start-up; the rate limiter is off unless enabled.</summary>
public sealed class PolicyOptionsTests
{
    [Theory]
    [InlineData("Resilience:FailureRatio", "1.5", "FailureRatio")]
    [InlineData("Resilience:MinimumThroughput", "1", "MinimumThroughput")]
    [InlineData("Resilience:BreakDurationSeconds", "0.1", "BreakDurationSeconds")]
    [InlineData("Resilience:ExecutionTimeoutSeconds", "0.001", "ExecutionTimeoutSeconds (0.001) must be 0 (off) or at least 0.01")]
    [InlineData("Resilience:LoadRetryAttempts", "11", "LoadRetryAttempts")]
    [InlineData("ResponseCache:MaxBytes", "-1", "MaxBytes")]
    [InlineData("RateLimiting:PermitLimit", "0", "PermitLimit")]
    [InlineData("RateLimiting:WindowSeconds", "0", "WindowSeconds")]
    public void Start_InvalidPolicySetting_FailsNamingTheSetting(string key, string value, string expected)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting(key, value));

        var e = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimiting_Enabled_RefusesTheClientOverTheLimitWith429()
    {
        using var service = new CustomService(new()
        {
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:PermitLimit"] = "2",
            ["RateLimiting:WindowSeconds"] = "3600",
        });
        using var client = await service.StartAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("/v2");
            statuses.Add(response.StatusCode);
        }

        using var metrics = await client.GetAsync("/metrics");
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public async Task RateLimiting_Default_IsOff()
    {
        using var service = new CustomService(new() { ["RateLimiting:PermitLimit"] = "1" });
        using var client = await service.StartAsync();

        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/v2");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}

using System.Net;
using InferenceService.Hosting;

namespace InferenceService.Tests.Observability;

/// <summary>Polly, cache and rate-limit settings are validated (at start-up: AddOptionsWithValidateOnStart); the rate limiter is off unless enabled.</summary>
public sealed class PolicyOptionsTests
{
    // Validated through the generated validators rather than a failing host start: WebApplicationFactory races a
    // start-up failure against its own disposal (ObjectDisposedException now and then under parallel load).
    [Theory]
    [InlineData(nameof(ResilienceOptions.FailureRatio), 1.5, "FailureRatio")]
    [InlineData(nameof(ResilienceOptions.MinimumThroughput), 1, "MinimumThroughput")]
    [InlineData(nameof(ResilienceOptions.BreakDurationSeconds), 0.1, "BreakDurationSeconds")]
    [InlineData(nameof(ResilienceOptions.ExecutionTimeoutSeconds), 0.001, "ExecutionTimeoutSeconds (0.001) must be 0 (off) or at least 0.01")]
    [InlineData(nameof(ResilienceOptions.LoadRetryAttempts), 11, "LoadRetryAttempts")]
    public void Validate_InvalidResilienceSetting_FailsNamingTheSetting(string property, double value, string expected)
    {
        var options = new ResilienceOptions();
        var info = typeof(ResilienceOptions).GetProperty(property)!;
        info.SetValue(options, Convert.ChangeType(value, info.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        var result = new ResilienceOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DefaultSettings_Succeed()
    {
        Assert.True(new ResilienceOptionsValidator().Validate(null, new ResilienceOptions()).Succeeded);
        Assert.True(new ResponseCacheOptionsValidator().Validate(null, new ResponseCacheOptions()).Succeeded);
        Assert.True(new RateLimitingOptionsValidator().Validate(null, new RateLimitingOptions()).Succeeded);
    }

    [Fact]
    public void Validate_InvalidCacheAndRateLimitSettings_FailNamingTheSetting()
    {
        var cache = new ResponseCacheOptionsValidator().Validate(null, new ResponseCacheOptions { MaxBytes = -1 });
        var permits = new RateLimitingOptionsValidator().Validate(null, new RateLimitingOptions { PermitLimit = 0 });
        var window = new RateLimitingOptionsValidator().Validate(null, new RateLimitingOptions { WindowSeconds = 0 });

        Assert.Contains("MaxBytes", cache.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("PermitLimit", permits.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("WindowSeconds", window.FailureMessage, StringComparison.Ordinal);
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

using System.Net;
using System.Net.Http.Json;

namespace InferenceService.Tests.Observability;

/// <summary>A model that keeps failing is isolated by its breaker (503 at once), then recovers through half-open.</summary>
public sealed class CircuitBreakerTests
{
    [Fact]
    public async Task Infer_ModelKeepsFailing_BreakerAnswers503ThenClosesAfterBreak()
    {
        var name = "reshape-" + Guid.NewGuid().ToString("N")[..8];
        using var service = new CustomService(new()
        {
            ["Resilience:MinimumThroughput"] = "2",
            ["Resilience:FailureRatio"] = "0.5",
            ["Resilience:BreakDurationSeconds"] = "1",
        });
        ReshapeModel.Write(service, name);
        using var client = await service.StartAsync();
        var url = $"/v2/models/{name}/infer";

        var (first, firstStatus) = await V2Json.PostAsync(client, url, ReshapeModel.Request(3));
        var (_, secondStatus) = await V2Json.PostAsync(client, url, ReshapeModel.Request(5));
        using var rejected = await client.PostAsJsonAsync(url, ReshapeModel.Request(4));

        Assert.Equal(HttpStatusCode.InternalServerError, firstStatus);
        Assert.Contains("error", first.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InternalServerError, secondStatus);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, rejected.StatusCode);
        Assert.Contains("circuit breaker is open", await rejected.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(rejected.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));

        // After the break (1 s) one trial request goes through; its success closes the breaker. Bounded wait.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        HttpStatusCode status;
        do
        {
            await Task.Delay(250);
            (_, status) = await V2Json.PostAsync(client, url, ReshapeModel.Request(4));
        }
        while (status == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, status);
        var (after, afterStatus) = await V2Json.PostAsync(client, url, ReshapeModel.Request(4));
        Assert.Equal(HttpStatusCode.OK, afterStatus);
        Assert.Equal([1f, 2f, 3f, 4f], V2Json.Floats(after));

        var text = await client.GetStringAsync("/metrics");
        Assert.Equal(2, PrometheusText.Value(text, "inference_request_failure_total", ("model", name), ("reason", "backend")));
        Assert.True(PrometheusText.Value(text, "inference_request_failure_total", ("model", name), ("reason", "rejected")) >= 1);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using InferenceService.Hosting;
using InferenceService.Runtime.Inference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InferenceService.Tests.Reliability.Chaos;

/// <summary>
/// One model's engine starts failing (an injected engine error) while another model serves beside it: the failing
/// model's requests each get their own 500 naming the engine error until its breaker opens, then 503 with
/// Retry-After at once; the other model answers correctly throughout, the service stays ready, and once runs succeed
/// again the breaker lets a trial through and closes.
/// </summary>
public sealed class BreakerChaosTests
{
    [Fact]
    public async Task EngineFails_BreakerOpensForThatModelOnly_OthersServe_ClosesAfterRecovery()
    {
        var faults = new EngineFaults("adder");
        using var service = new CustomService(new()
        {
            ["ModelRepository:ControlMode"] = "none",
            ["Resilience:MinimumThroughput"] = "4",
            ["Resilience:FailureRatio"] = "0.5",
            ["Resilience:SamplingDurationSeconds"] = "30",
            ["Resilience:BreakDurationSeconds"] = "1",
        })
        {
            TestServices = services => services.AddSingleton(sp => new ModelRunnerServices(sp.GetRequiredService<IOptions<ResilienceOptions>>().Value.ToPolicy(), null)
            {
                ExecutorFaults = faults.Wrap,
            }),
        };
        AdderModel.Publish(service.RepositoryPath, "adder", 1, AdderModel.Build(1));
        AdderModel.Publish(service.RepositoryPath, "other", 1, AdderModel.Build(3));
        var client = await service.StartAsync();
        Assert.Equal((HttpStatusCode.OK, 1f), await InferAsync(client, "adder"));

        faults.Failing = true;
        var failures = new List<(HttpStatusCode Status, string Error)>();
        var others = new List<(HttpStatusCode Status, float Y)>();
        while (failures.Count < 50 && (failures.Count == 0 || failures[^1].Status != HttpStatusCode.ServiceUnavailable))
        {
            failures.Add(await ErrorAsync(client, "adder"));
            others.Add(await InferAsync(client, "other"));
        }

        var (openStatus, openError, retryAfter) = await ErrorWithRetryAfterAsync(client, "adder");
        var readyWhileOpen = (await client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative))).StatusCode;
        others.Add(await InferAsync(client, "other"));
        faults.Failing = false;
        var recovered = await UntilOkAsync(client, "adder", TimeSpan.FromSeconds(10));
        var afterwards = new[] { await InferAsync(client, "adder"), await InferAsync(client, "adder") };

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failures[^1].Status);
        Assert.All(failures[..^1], f =>
        {
            Assert.Equal(HttpStatusCode.InternalServerError, f.Status);
            Assert.Contains(EngineFaults.Message, f.Error, StringComparison.Ordinal);
        });
        // Four runs within the window (the first, good one counts too) at a failure ratio of at least 0.5 open it.
        Assert.InRange(failures.Count - 1, 3, 10);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, openStatus);
        Assert.Contains("circuit breaker is open", openError, StringComparison.Ordinal);
        Assert.Equal("1", retryAfter);
        Assert.Equal(HttpStatusCode.OK, readyWhileOpen);
        Assert.All(others, o => Assert.Equal((HttpStatusCode.OK, 3f), o));
        Assert.True(recovered, "the breaker never closed after runs succeeded again");
        Assert.All(afterwards, a => Assert.Equal((HttpStatusCode.OK, 1f), a));
    }

    private static JsonObject Body() => V2Json.Request(V2Json.Tensor("x", "FP32", [1, 4], new float[] { 0, 0, 0, 0 }));

    private static async Task<(HttpStatusCode Status, float Y)> InferAsync(HttpClient client, string model)
    {
        var (body, status) = await V2Json.PostAsync(client, $"/v2/models/{model}/infer", Body());
        return (status, status == HttpStatusCode.OK ? V2Json.Floats(body)[0] : float.NaN);
    }

    private static async Task<(HttpStatusCode Status, string Error)> ErrorAsync(HttpClient client, string model)
    {
        var (status, error, _) = await ErrorWithRetryAfterAsync(client, model);
        return (status, error);
    }

    private static async Task<(HttpStatusCode Status, string Error, string? RetryAfter)> ErrorWithRetryAfterAsync(HttpClient client, string model)
    {
        using var response = await client.PostAsync(new Uri($"/v2/models/{model}/infer", UriKind.Relative), new StringContent(Body().ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var error = response.IsSuccessStatusCode ? string.Empty : JsonNode.Parse(text)!["error"]!.GetValue<string>();
        return (response.StatusCode, error, response.Headers.RetryAfter?.ToString());
    }

    private static async Task<bool> UntilOkAsync(HttpClient client, string model, TimeSpan timeout)
    {
        var until = Task.Delay(timeout);
        while (!until.IsCompleted)
        {
            if ((await InferAsync(client, model)) == (HttpStatusCode.OK, 1f))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}

using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using InferenceService.Tests.Observability;
using Xunit.Abstractions;

namespace InferenceService.Tests.Reliability;

/// <summary>
/// SIGTERM to the service in its own process while MiniLM requests wait in its batcher (a 5 s queue delay holds them
/// there), with a 2 s shutdown delay, as a pod is stopped under load: readiness answers 503 at once while liveness
/// stays up, the listeners keep accepting and answer new inference 503 "shutting down" with Retry-After, every
/// accepted request is answered 200, the drain log counts them, and the process exits 0.
/// </summary>
[Trait("Category", "Load")]
[Collection(LoadCollection.Name)]
public sealed class ShutdownTests(ITestOutputHelper output)
{
    private const int Accepted = 24;
    private static readonly TimeSpan ShutdownDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan QueueDelay = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Sigterm_RequestsInFlight_AnsweredWhileReadinessAndNewWorkGet503ThenExitZero()
    {
        using var repository = new ReliabilityRepository(config => config["dynamic_batching"]!["max_queue_delay_microseconds"] = (long)QueueDelay.TotalMicroseconds);
        using var service = await ServiceProcess.StartAsync(
            repository.Path,
            $"--ModelRepository:ShutdownDelaySeconds={ShutdownDelay.TotalSeconds}",
            "--ModelRepository:DrainTimeoutSeconds=20",
            "--ModelRepository:ControlMode=none",
            "--Logging:LogLevel:InferenceService=Information");
        using var load = new LoadGenerator(LoadGenerator.CreateClient(service.BaseAddress, Accepted), MiniLmRequests.V2Infer);
        var clock = Stopwatch.StartNew();
        var accepted = Enumerable.Range(0, Accepted).Select(_ => load.SendAsync(clock)).ToList();
        await WaitForQueuedAsync(service.BaseAddress, Accepted);

        service.Terminate();
        var signalled = clock.Elapsed;
        var readyStatus = await UntilAsync(() => SendAsync(service.BaseAddress, Get("/health/ready")), r => r.Status == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(1));
        var notReadyAfter = clock.Elapsed - signalled;
        var v2Ready = await SendAsync(service.BaseAddress, Get("/v2/health/ready"));
        var live = await SendAsync(service.BaseAddress, Get("/health/live"));
        var late = await SendAsync(service.BaseAddress, MiniLmRequests.V2Infer());
        var checkedWithin = clock.Elapsed - signalled;
        var answers = await Task.WhenAll(accepted);
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var exitedAfter = clock.Elapsed - signalled;
        output.WriteLine($"not ready {notReadyAfter.TotalMilliseconds:F0} ms after SIGTERM; probes and late request done within {checkedWithin.TotalMilliseconds:F0} ms; "
            + $"exit {exitCode} after {exitedAfter.TotalMilliseconds:F0} ms\n{service.Log}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyStatus.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, v2Ready.Status);
        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.True(checkedWithin < ShutdownDelay, $"the probes took {checkedWithin.TotalMilliseconds:F0} ms, longer than the shutdown delay");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, late.Status);
        Assert.Equal("1", late.RetryAfter);
        Assert.Contains("shutting down", JsonNode.Parse(late.Body)!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Equal(0, exitCode);
        Assert.True(exitedAfter >= ShutdownDelay, $"exited {exitedAfter.TotalMilliseconds:F0} ms after SIGTERM, before the shutdown delay ended");
        Assert.Contains($"new requests refused; {Accepted} request(s) in flight", service.Log, StringComparison.Ordinal);
        Assert.Contains("Drained: 0 request(s) left", service.Log, StringComparison.Ordinal);
    }

    /// <summary>Waits until the batcher holds <paramref name="count"/> requests (the pending-requests gauge).</summary>
    private static async Task WaitForQueuedAsync(Uri baseAddress, int count)
    {
        double? pending = null;
        await UntilAsync(
            async () =>
            {
                var metrics = await SendAsync(baseAddress, Get("/metrics"));
                pending = PrometheusText.Value(metrics.Body, "inference_pending_requests", ("model", "minilm"));
                return pending;
            },
            p => p == count,
            TimeSpan.FromSeconds(30));
        Assert.Equal(count, pending);
    }

    private static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout)
    {
        var until = Stopwatch.StartNew();
        while (true)
        {
            var result = await probe();
            if (done(result) || until.Elapsed > timeout)
            {
                return result;
            }

            await Task.Delay(20);
        }
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    /// <summary>One request on a new connection (after SIGTERM the listeners must still accept them); disposes it.</summary>
    private static async Task<(HttpStatusCode Status, string Body, string? RetryAfter)> SendAsync(Uri baseAddress, HttpRequestMessage request)
    {
        using var message = request;
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await client.SendAsync(message);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.RetryAfter?.ToString());
    }
}

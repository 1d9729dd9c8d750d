using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using InferenceService.Tests.Observability;
using InferenceService.Tests.Reliability;

namespace InferenceService.Tests.Apis;

/// <summary>Admission before work: a request the model cannot take is refused before its body is read.</summary>
public sealed class AdmissionTests
{
    [Fact]
    public async Task Infer_QueueFull_Refused503BeforeTheBodyArrives()
    {
        using var repository = new ReliabilityRepository(config => config["dynamic_batching"] = new JsonObject
        {
            ["max_queue_delay_microseconds"] = 3_000_000,
            ["max_queue_size"] = 2,
        });
        using var service = await ServiceProcess.StartAsync(repository.Path);
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        var queued = Enumerable.Range(0, 2).Select(_ => V2Json.PostAsync(client, "/v2/models/minilm/infer", V2Json.MiniLm([101, 102]))).ToList();
        await WaitUntilAsync(async () => PrometheusText.Value(await client.GetStringAsync("/metrics"), "inference_pending_requests", ("model", "minilm")) == 2);

        // A raw request that announces a 1 MB body and sends only its first bytes: the answer must not wait for the rest.
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(service.BaseAddress.Host, service.BaseAddress.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /v2/models/minilm/infer HTTP/1.1\r\nHost: {service.BaseAddress.Authority}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{{\"inputs\": ["));
        var response = await ReadResponseAsync(stream).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.StartsWith("HTTP/1.1 503", response, StringComparison.Ordinal);
        Assert.Contains("Retry-After: 1", response, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("queue is full", response, StringComparison.Ordinal);
        Assert.All(await Task.WhenAll(queued), r => Assert.Equal(HttpStatusCode.OK, r.Status));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var timeout = Task.Delay(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            Assert.False(timeout.IsCompleted, "timed out waiting for the queue to fill");
            await Task.Delay(20);
        }
    }

    /// <summary>Reads until the end of the {"error": "..."} body has arrived (the body may come chunked).</summary>
    private static async Task<string> ReadResponseAsync(Stream stream)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (!text.ToString().Contains("\"}", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}

using System.Net;
using System.Text.Json.Nodes;

namespace InferenceService.Tests.Observability;

/// <summary>
/// Triton's metric names on /metrics, exactly as Triton names them (no _total, no unit suffix), each equal to the
/// statistics route's number after known traffic. Each test uses its own model name: the meter is process-wide.
/// </summary>
public sealed class TritonMetricsTests
{
    private static readonly string[] Names =
    [
        "nv_inference_request_success", "nv_inference_request_failure", "nv_inference_count", "nv_inference_exec_count",
        "nv_inference_request_duration_us", "nv_inference_queue_duration_us", "nv_inference_compute_input_duration_us",
        "nv_inference_compute_infer_duration_us", "nv_inference_compute_output_duration_us", "nv_inference_pending_request_count",
    ];

    private static async Task<(HttpClient Client, string Name)> StartAsync(CustomService service)
    {
        var name = "triton-" + Guid.NewGuid().ToString("N")[..8];
        service.Write(Path.Combine(name, "config.json"), MetricsTests.BatchedAdderConfig);
        AdderModel.Publish(service.RepositoryPath, name, 1, AdderModel.Build(1f));
        var client = await service.StartAsync();
        foreach (var rows in new[] { 1, 2, 3 })
        {
            var (_, status) = await V2Json.PostAsync(client, $"/v2/models/{name}/infer", V2Json.Request(V2Json.Tensor("x", "FP32", [rows, 4], new float[rows * 4])));
            Assert.Equal(HttpStatusCode.OK, status);
        }

        return (client, name);
    }

    [Fact]
    public async Task TritonNames_AfterTraffic_EachSeriesEqualsTheStatisticsRoute()
    {
        using var service = new CustomService();
        var (client, name) = await StartAsync(service);
        using var owned = client;
        // A refusal the runner counts: a batch of 9 over max_batch_size 8.
        var (_, badStatus) = await V2Json.PostAsync(client, $"/v2/models/{name}/infer", V2Json.Request(V2Json.Tensor("x", "FP32", [9, 4], new float[36])));

        var stats = JsonNode.Parse(await client.GetStringAsync($"/v2/models/{name}/stats"))!["model_stats"]![0]!;
        var text = await client.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        (string, string)[] labels = [("model", name), ("version", "1")];
        double? Series(string metric) => PrometheusText.Value(text, metric, labels);
        long Stat(string path) => path.Split('.').Aggregate((JsonNode)stats, (node, key) => node[key]!).GetValue<long>();
        Assert.Equal(3, Series("nv_inference_request_success"));
        Assert.Equal(6, Series("nv_inference_count"));
        Assert.Equal(3, Series("nv_inference_exec_count"));
        Assert.Equal(0, Series("nv_inference_pending_request_count"));
        Assert.Equal(Stat("inference_stats.success.count"), Series("nv_inference_request_success"));
        Assert.Equal(Stat("inference_stats.fail.count"), Series("nv_inference_request_failure"));
        Assert.Equal(Stat("inference_count"), Series("nv_inference_count"));
        Assert.Equal(Stat("execution_count"), Series("nv_inference_exec_count"));
        Assert.Equal(Stat("inference_stats.success.ns") / 1000, Series("nv_inference_request_duration_us"));
        Assert.Equal(Stat("inference_stats.queue.ns") / 1000, Series("nv_inference_queue_duration_us"));
        Assert.Equal(Stat("inference_stats.compute_input.ns") / 1000, Series("nv_inference_compute_input_duration_us"));
        Assert.Equal(Stat("inference_stats.compute_infer.ns") / 1000, Series("nv_inference_compute_infer_duration_us"));
        Assert.Equal(Stat("inference_stats.compute_output.ns") / 1000, Series("nv_inference_compute_output_duration_us"));
        Assert.True(Series("nv_inference_request_duration_us") > 0);
        Assert.True(Series("nv_inference_compute_infer_duration_us") > 0);
        Assert.All(Names, n => Assert.Contains($"# TYPE {n} gauge\n", text, StringComparison.Ordinal));
        Assert.DoesNotContain("nv_inference_count_total", text, StringComparison.Ordinal);
        Assert.DoesNotContain("nv_inference_request_duration_us_microseconds", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TritonNames_False_NoNvSeriesButOursStay()
    {
        using var service = new CustomService(new() { ["Metrics:TritonNames"] = "false" });
        var (client, name) = await StartAsync(service);
        using var owned = client;

        var text = await client.GetStringAsync("/metrics");

        Assert.DoesNotContain("nv_", text, StringComparison.Ordinal);
        Assert.Equal(3, PrometheusText.Value(text, "inference_request_success_total", ("model", name)));
    }
}

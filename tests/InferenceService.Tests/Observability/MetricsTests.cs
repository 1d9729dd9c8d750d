using System.Net;

namespace InferenceService.Tests.Observability;

/// <summary>After known traffic, GET /metrics shows the right counts (each test uses its own model name: the meter is process-wide).</summary>
public sealed class MetricsTests
{
    internal const string BatchedAdderConfig = """
        { "max_batch_size": 8, "inputs": [ { "name": "x", "datatype": "FP32", "dims": [4] } ],
          "outputs": [ { "name": "y", "datatype": "FP32", "dims": [4] } ], "execution_providers": ["cpu"],
          "dynamic_batching": { "max_queue_delay_microseconds": 0 } }
        """;

    [Fact]
    public async Task Metrics_AfterKnownTraffic_CountRequestsItemsBatchesAndFailures()
    {
        var name = "adder-" + Guid.NewGuid().ToString("N")[..8];
        using var service = new CustomService();
        service.Write(Path.Combine(name, "config.json"), BatchedAdderConfig);
        AdderModel.Publish(service.RepositoryPath, name, 1, AdderModel.Build(1f));
        using var client = await service.StartAsync();

        // Sequential, so each request is its own batch: 1 + 2 + 3 items in 3 executions.
        foreach (var rows in new[] { 1, 2, 3 })
        {
            var (_, status) = await V2Json.PostAsync(client, $"/v2/models/{name}/infer", V2Json.Request(V2Json.Tensor("x", "FP32", [rows, 4], new float[rows * 4])));
            Assert.Equal(HttpStatusCode.OK, status);
        }

        var (_, badStatus) = await V2Json.PostAsync(client, $"/v2/models/{name}/infer", V2Json.Request(V2Json.Tensor("x", "FP32", [1, 5], new float[5])));
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);

        var text = await client.GetStringAsync("/metrics");
        (string, string)[] model = [("model", name), ("version", "1")];
        Assert.Equal(3, PrometheusText.Value(text, "inference_request_success_total", model));
        Assert.Equal(1, PrometheusText.Value(text, "inference_request_failure_total", [.. model, ("reason", "bad_request")]));
        Assert.Equal(1, PrometheusText.Value(text, "inference_request_failure_total", model));
        Assert.Equal(6, PrometheusText.Value(text, "inference_count_total", model));
        Assert.Equal(3, PrometheusText.Value(text, "inference_exec_count_total", model));
        Assert.Equal(3, PrometheusText.Value(text, "inference_batch_size_count", model));
        Assert.Equal(6, PrometheusText.Value(text, "inference_batch_size_sum", model));
        Assert.Equal(1, PrometheusText.Value(text, "inference_batch_size_bucket", [.. model, ("le", "1")]));
        Assert.Equal(2, PrometheusText.Value(text, "inference_batch_size_bucket", [.. model, ("le", "2")]));
        Assert.Equal(3, PrometheusText.Value(text, "inference_queue_duration_seconds_count", model));
        Assert.Equal(3, PrometheusText.Value(text, "inference_compute_infer_duration_seconds_count", model));
        Assert.Equal(3, PrometheusText.Value(text, "inference_request_duration_seconds_count", model));
        Assert.Equal(0, PrometheusText.Value(text, "inference_pending_requests", ("model", name)));
        // Runtime and process series from .NET's built-in System.Runtime meter; the Grafana dashboard's process panel reads the first two.
        Assert.NotNull(PrometheusText.Value(text, "dotnet_process_cpu_time_seconds_total"));
        Assert.NotNull(PrometheusText.Value(text, "dotnet_process_memory_working_set_bytes"));
        Assert.NotNull(PrometheusText.Value(text, "dotnet_gc_collections_total"));
    }

    [Fact]
    public async Task Metrics_StatisticsEndpoint_AgreesWithMetrics()
    {
        var name = "adder-" + Guid.NewGuid().ToString("N")[..8];
        using var service = new CustomService();
        service.Write(Path.Combine(name, "config.json"), BatchedAdderConfig);
        AdderModel.Publish(service.RepositoryPath, name, 1, AdderModel.Build(1f));
        using var client = await service.StartAsync();
        await V2Json.PostAsync(client, $"/v2/models/{name}/infer", V2Json.Request(V2Json.Tensor("x", "FP32", [2, 4], new float[8])));

        var stats = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync($"/v2/models/{name}/stats"))!;
        var text = await client.GetStringAsync("/metrics");

        var entry = stats["model_stats"]![0]!;
        Assert.Equal(entry["inference_count"]!.GetValue<long>(), PrometheusText.Value(text, "inference_count_total", ("model", name)));
        Assert.Equal(entry["execution_count"]!.GetValue<long>(), PrometheusText.Value(text, "inference_exec_count_total", ("model", name)));
    }
}

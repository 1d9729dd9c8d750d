using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InferenceService.Tests.Reliability;

namespace InferenceService.Tests.Observability;

/// <summary>
/// The autoscaling signal end to end without a cluster: two service processes stand for two pods, a real Prometheus
/// scrapes them as the overlay's ServiceMonitor makes the Prometheus operator do (same path, through the Service's
/// port, with the namespace / service / pod / job labels the operator attaches), requests are held in their batching
/// queues, and the ScaledObject's own query, read from the rendered overlay, must give the queued total; from it
/// KEDA's AverageValue arithmetic gives the per-pod depth and the replica count the HPA would set.
/// </summary>
[Trait("Category", "Network")]
public sealed class KedaQueryTests
{
    // A batch waits for 64 requests or 40 s, so every request sent stays queued while Prometheus scrapes; the test
    // cancels them (removed from the queue) at the end.
    private const string HoldingConfig = """
        { "max_batch_size": 64, "inputs": [ { "name": "x", "datatype": "FP32", "dims": [4] } ],
          "outputs": [ { "name": "y", "datatype": "FP32", "dims": [4] } ], "execution_providers": ["cpu"],
          "dynamic_batching": { "max_queue_delay_microseconds": 40000000, "preferred_batch_sizes": [64] } }
        """;

    [PrometheusFact]
    public async Task ScaledObjectQuery_OnARealPrometheusScrapingTwoPods_GivesQueueDepthPerPodAndKedaReplicas()
    {
        var cpu = await KustomizeOverlay.RenderAsync("cpu");
        var gpu = await KustomizeOverlay.RenderAsync("gpu");
        var (query, threshold, min, max) = QueueTrigger(cpu);
        var monitor = cpu.Single("ServiceMonitor");
        var endpoint = monitor["spec"]!["endpoints"]![0]!;
        var service = Assert.Single(cpu.Objects, o => (string?)o["kind"] == "Service"
            && monitor["spec"]!["selector"]!["matchLabels"]!.AsObject().All(l => (string?)o["metadata"]!["labels"]?[l.Key] == (string?)l.Value));
        Assert.Contains(service["spec"]!["ports"]!.AsArray(), p => (string?)p!["name"] == (string?)endpoint["port"]);
        var serviceName = (string)service["metadata"]!["name"]!;
        var serviceNamespace = (string)service["metadata"]!["namespace"]!;

        var repository = Path.Combine(Path.GetTempPath(), "is-keda-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(repository, "held"));
        File.WriteAllText(Path.Combine(repository, "held", "config.json"), HoldingConfig);
        AdderModel.Publish(repository, "held", 1, AdderModel.Build(1f));
        using var cancel = new CancellationTokenSource();
        var sent = new List<Task>();
        try
        {
            var starting = new[] { ServiceProcess.StartAsync(repository), ServiceProcess.StartAsync(repository) };
            using var podA = await starting[0];
            using var podB = await starting[1];
            using var clientA = new HttpClient { BaseAddress = podA.BaseAddress };
            using var clientB = new HttpClient { BaseAddress = podB.BaseAddress };
            int[] queued = [20, 12];
            sent.AddRange(Enumerable.Range(0, queued[0]).Select(_ => InferAsync(clientA, cancel.Token)));
            sent.AddRange(Enumerable.Range(0, queued[1]).Select(_ => InferAsync(clientB, cancel.Token)));

            // The operator's scrape of this ServiceMonitor: metrics path and scheme from the endpoint, every endpoint
            // of the Service (here the two pods), and the target labels it sets (job = the Service's name). The
            // interval is 1 s instead of the ServiceMonitor's, so the test takes seconds.
            await using var prometheus = PrometheusServer.Start($"""
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: {serviceName}
                    metrics_path: {(string)endpoint["path"]!}
                    static_configs:
                      - targets: ["{podA.BaseAddress.Authority}"]
                        labels: {Labels(serviceNamespace, serviceName, "inference-service-7c9f-a", endpoint)}
                      - targets: ["{podB.BaseAddress.Authority}"]
                        labels: {Labels(serviceNamespace, serviceName, "inference-service-7c9f-b", endpoint)}
                """);

            var total = queued.Sum();
            var result = await prometheus.QueryUntilAsync(query, r => r.Count == 1 && r[0].Value == total, TimeSpan.FromSeconds(30));
            Assert.True(result is [{ Value: var value }] && value == total,
                $"the ScaledObject's query {query} gave [{string.Join(", ", result?.Select(r => r.Value) ?? [])}], expected {total} (= {queued[0]} + {queued[1]} queued)");

            // KEDA's AverageValue: the HPA sees the measured total divided by the current replicas.
            var measured = result![0].Value;
            var current = queued.Length;
            Assert.Equal(16.0, measured / current);
            Assert.Equal((8.0, 2, 10), (threshold, min, max));
            Assert.Equal(4, DesiredReplicas(current, measured, threshold, min, max));

            // The GPU overlay runs the same query against a deeper per-pod target: 16 per pod is half of its 32.
            var (gpuQuery, gpuThreshold, gpuMin, gpuMax) = QueueTrigger(gpu);
            var gpuResult = await prometheus.QueryUntilAsync(gpuQuery, r => r.Count == 1 && r[0].Value == total, TimeSpan.FromSeconds(10));
            var gpuMeasured = Assert.Single(gpuResult!).Value;
            Assert.Equal(total, gpuMeasured);
            Assert.Equal((32.0, 1, 4), (gpuThreshold, gpuMin, gpuMax));
            Assert.Equal(1, DesiredReplicas(current, gpuMeasured, gpuThreshold, gpuMin, gpuMax));
        }
        finally
        {
            await cancel.CancelAsync();
            await Task.WhenAll(sent.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            Directory.Delete(repository, recursive: true);
        }
    }

    [Theory]
    [InlineData(2, 32, 8, 2, 10, 4)] // 16 per pod, twice the target: double
    [InlineData(2, 17, 8, 2, 10, 2)] // 8.5 per pod: within the 10 % tolerance, no change
    [InlineData(3, 0, 8, 2, 10, 2)] // empty queues: down to the minimum
    [InlineData(4, 500, 8, 2, 10, 10)] // capped at the maximum
    [InlineData(2, 19, 8, 1, 10, 3)] // 9.5 per pod: ceil(2 * 9.5 / 8) = 3
    public void DesiredReplicas_FollowsTheHpaFormula(int current, double total, double target, int min, int max, int expected) =>
        Assert.Equal(expected, DesiredReplicas(current, total, target, min, max));

    /// <summary>
    /// The HPA's documented rule for an AverageValue metric, as KEDA hands it over: ratio = (total / current) /
    /// target; no change within the 0.1 tolerance of 1, else ceil(current * ratio); clamped to min..max.
    /// </summary>
    private static int DesiredReplicas(int current, double total, double target, int min, int max)
    {
        var ratio = total / current / target;
        var desired = Math.Abs(ratio - 1) <= 0.1 ? current : (int)Math.Ceiling(current * ratio);
        return Math.Clamp(desired, min, max);
    }

    /// <summary>The queue-depth trigger of the overlay's ScaledObject: query, threshold, min and max replicas.</summary>
    private static (string Query, double Threshold, int Min, int Max) QueueTrigger(KustomizeOverlay overlay)
    {
        var spec = overlay.Single("ScaledObject")["spec"]!;
        var trigger = Assert.Single(spec["triggers"]!.AsArray(), t => (string?)t!["name"] == "queue-depth")!;
        Assert.Equal("AverageValue", (string?)trigger["metricType"]);
        return ((string)trigger["metadata"]!["query"]!,
            double.Parse((string)trigger["metadata"]!["threshold"]!, CultureInfo.InvariantCulture),
            int.Parse((string)spec["minReplicaCount"]!, CultureInfo.InvariantCulture),
            int.Parse((string)spec["maxReplicaCount"]!, CultureInfo.InvariantCulture));
    }

    // The labels the operator gives a ServiceMonitor target (container and endpoint as its relabelling sets them).
    private static string Labels(string ns, string service, string pod, JsonNode endpoint) =>
        $"{{namespace: {ns}, service: {service}, pod: {pod}, container: inference-service, endpoint: {(string)endpoint["port"]!}}}";

    private static async Task InferAsync(HttpClient client, CancellationToken cancel)
    {
        var body = new JsonObject { ["inputs"] = new JsonArray(new JsonObject { ["name"] = "x", ["datatype"] = "FP32", ["shape"] = new JsonArray(1, 4), ["data"] = new JsonArray(1, 2, 3, 4) }) };
        using var response = await client.PostAsJsonAsync("/v2/models/held/infer", body, cancel);
    }
}

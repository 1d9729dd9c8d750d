using System.Net;
using System.Text.Json.Nodes;

namespace InferenceService.Tests.Apis;

[Collection(ServiceCollection.Name)]
public sealed class StatisticsApiTests(ServiceFixture service)
{
    private readonly HttpClient _client = service.Client;

    private async Task<JsonNode> StatsAsync(string url) => JsonNode.Parse(await _client.GetStringAsync(url))!["model_stats"]![0]!;

    [Fact]
    public async Task Stats_AfterConcurrentRequests_CountsItemsAndBatchesThatFormed()
    {
        var before = await StatsAsync("/v2/models/minilm/versions/1/stats");
        var random = new Random(5);
        var bodies = Enumerable.Range(0, 48).Select(_ => V2Json.MiniLm(Enumerable.Range(0, 12).Select(_ => (long)random.Next(1000, 29000)).ToArray())).ToList();

        var results = await Task.WhenAll(bodies.Select(b => V2Json.PostAsync(_client, "/v2/models/minilm/infer", b)));
        var after = await StatsAsync("/v2/models/minilm/versions/1/stats");

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        var items = after["inference_count"]!.GetValue<long>() - before["inference_count"]!.GetValue<long>();
        var batches = after["execution_count"]!.GetValue<long>() - before["execution_count"]!.GetValue<long>();
        var successes = after["inference_stats"]!["success"]!["count"]!.GetValue<long>() - before["inference_stats"]!["success"]!["count"]!.GetValue<long>();
        Assert.True(items >= 48, $"{items} items");
        Assert.True(successes >= 48, $"{successes} successes");
        Assert.True(batches < items, $"{batches} batches for {items} items: no batch formed");
        Assert.True(after["inference_stats"]!["compute_infer"]!["ns"]!.GetValue<long>() > 0);
        Assert.Equal("minilm", after["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stats_AllModels_ListsEveryServedVersion()
    {
        var all = JsonNode.Parse(await _client.GetStringAsync("/v2/models/stats"))!["model_stats"]!.AsArray();

        Assert.Contains(all, s => s!["name"]!.GetValue<string>() == "resnet18");
        Assert.Contains(all, s => s!["name"]!.GetValue<string>() == "minilm");
    }

    [Theory]
    [InlineData("/v2/models/nope/stats", HttpStatusCode.NotFound)]
    [InlineData("/v2/models/minilm/versions/0/stats", HttpStatusCode.BadRequest)]
    public async Task Stats_UnknownModelOrBadVersion_Error(string url, HttpStatusCode status)
    {
        using var response = await _client.GetAsync(url);

        Assert.Equal(status, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
    }
}

/// <summary>A model with <c>latency_target_ms</c> shows its calibrated cost model and decisions in its statistics.</summary>
public sealed class LatencyTargetStatisticsTests
{
    [Fact]
    public async Task Stats_LatencyTargetModel_ShowsTargetCalibrationAndBuckets()
    {
        using var service = new CustomService(new() { ["ModelRepository:ControlMode"] = "none" });
        service.Write("adder/config.json", AdderModel.Config.Replace(
            "\"max_queue_delay_microseconds\": 500", "\"max_queue_delay_microseconds\": 5000, \"latency_target_ms\": 50", StringComparison.Ordinal));
        AdderModel.Publish(service.RepositoryPath, "adder", 1, AdderModel.Build(1));
        var client = await service.StartAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            V2Json.PostAsync(client, "/v2/models/adder/infer", V2Json.Request(V2Json.Tensor("x", "FP32", [1, 4], new float[] { 1, 2, 3, 4 })))));
        var stats = JsonNode.Parse(await client.GetStringAsync("/v2/models/adder/stats"))!["model_stats"]![0]!;
        var target = stats["latency_target"]!;

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers, a => Assert.Equal([2f, 3f, 4f, 5f], V2Json.Floats(a.Body)));
        Assert.Equal(50, target["target_ms"]!.GetValue<double>());
        Assert.DoesNotContain("pending", target["calibration"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEmpty(target["calibration_points"]!.AsArray());
        Assert.NotEmpty(target["buckets"]!.AsArray());
        Assert.Equal(stats["execution_count"]!.GetValue<long>(), target["decisions"]!.AsObject().Sum(d => d.Value!.GetValue<long>()));
    }
}

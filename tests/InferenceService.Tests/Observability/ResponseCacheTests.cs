using System.Net;
using System.Net.Http.Json;

namespace InferenceService.Tests.Observability;

/// <summary>Triton's response cache, opted into per model: a hit answers the same bytes without running the model.</summary>
public sealed class ResponseCacheTests
{
    private const string CachedAdderConfig = """
        { "max_batch_size": 8, "inputs": [ { "name": "x", "datatype": "FP32", "dims": [4] } ],
          "outputs": [ { "name": "y", "datatype": "FP32", "dims": [4] } ], "execution_providers": ["cpu"],
          "response_cache": { "enable": true } }
        """;

    [Fact]
    public async Task Infer_SameRequestTwice_SecondIsACacheHitWithIdenticalBytes()
    {
        var name = "cached-" + Guid.NewGuid().ToString("N")[..8];
        using var service = new CustomService();
        service.Write(Path.Combine(name, "config.json"), CachedAdderConfig);
        AdderModel.Publish(service.RepositoryPath, name, 1, AdderModel.Build(0.5f));
        using var client = await service.StartAsync();
        var url = $"/v2/models/{name}/infer";
        var request = V2Json.Request(V2Json.Tensor("x", "FP32", [2, 4], new[] { 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f }));

        var computed = await PostBytesAsync(client, url, request);
        var cached = await PostBytesAsync(client, url, request);
        var other = await PostBytesAsync(client, url, V2Json.Request(V2Json.Tensor("x", "FP32", [1, 4], new[] { 1f, 2f, 3f, 4f })));

        Assert.Equal(computed, cached);
        Assert.NotEqual(computed, other);
        var text = await client.GetStringAsync("/metrics");
        (string, string)[] model = [("model", name), ("version", "1")];
        Assert.Equal(1, PrometheusText.Value(text, "inference_cache_hits_total", model));
        Assert.Equal(2, PrometheusText.Value(text, "inference_cache_misses_total", model));
        Assert.Equal(2, PrometheusText.Value(text, "inference_exec_count_total", model));
        Assert.Equal(3, PrometheusText.Value(text, "inference_request_success_total", model));
        var stats = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync($"/v2/models/{name}/stats"))!["model_stats"]![0]!["inference_stats"]!;
        Assert.Equal(1, (long)stats["cache_hit"]!["count"]!);
        Assert.Equal(2, (long)stats["cache_miss"]!["count"]!);
        Assert.Equal(3, (long)stats["success"]!["count"]!);
    }

    [Fact]
    public async Task Infer_ModelWithoutResponseCache_AlwaysRunsTheModel()
    {
        var name = "uncached-" + Guid.NewGuid().ToString("N")[..8];
        using var service = new CustomService();
        service.Write(Path.Combine(name, "config.json"), AdderModel.Config);
        AdderModel.Publish(service.RepositoryPath, name, 1, AdderModel.Build(0.5f));
        using var client = await service.StartAsync();
        var request = V2Json.Request(V2Json.Tensor("x", "FP32", [1, 4], new[] { 1f, 2f, 3f, 4f }));

        await PostBytesAsync(client, $"/v2/models/{name}/infer", request);
        await PostBytesAsync(client, $"/v2/models/{name}/infer", request);

        var text = await client.GetStringAsync("/metrics");
        Assert.Equal(2, PrometheusText.Value(text, "inference_exec_count_total", ("model", name)));
        Assert.Null(PrometheusText.Value(text, "inference_cache_hits_total", ("model", name)));
    }

    private static async Task<byte[]> PostBytesAsync(HttpClient client, string url, System.Text.Json.Nodes.JsonObject body)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }
}

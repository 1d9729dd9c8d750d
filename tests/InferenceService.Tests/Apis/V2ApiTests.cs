using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace InferenceService.Tests.Apis;

[Collection(ServiceCollection.Name)]
public sealed class V2ApiTests(ServiceFixture service)
{
    private static readonly long[] ThisIsATest = [101, 2023, 2003, 1037, 3231, 1012, 102];
    private readonly HttpClient _client = service.Client;

    [Fact]
    public async Task ServerMetadata_Get_NamesServerAndVersion()
    {
        var body = JsonNode.Parse(await _client.GetStringAsync("/v2"))!;

        Assert.Equal("inference-service", body["name"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["version"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("/v2/health/live")]
    [InlineData("/v2/health/ready")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/health/startup")]
    [InlineData("/v2/models/minilm/ready")]
    [InlineData("/v2/models/resnet18/versions/1/ready")]
    public async Task Health_ModelsLoaded_Returns200(string url)
    {
        using var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/v2/models/minilm")]
    [InlineData("/v2/models/minilm/versions/1")]
    public async Task ModelMetadata_MiniLm_DescribesTensorsAndProvider(string url)
    {
        var body = JsonNode.Parse(await _client.GetStringAsync(url))!;

        Assert.Equal("minilm", body["name"]!.GetValue<string>());
        Assert.Equal("onnxruntime_onnx", body["platform"]!.GetValue<string>());
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], body["inputs"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
        Assert.Equal("[-1,-1,384]", body["outputs"]![0]!["shape"]!.ToJsonString());
        Assert.Equal("READY", body["parameters"]!["state"]!.GetValue<string>());
        Assert.Contains(body["parameters"]!["execution_provider"]!.GetValue<string>(), new[] { "cpu", "cuda" });
    }

    [Theory]
    [InlineData("/v2/models/nope", HttpStatusCode.NotFound, "Unknown model 'nope'. Available models:")]
    [InlineData("/v2/models/minilm/versions/7", HttpStatusCode.NotFound, "has no version 7")]
    [InlineData("/v2/models/minilm/versions/x", HttpStatusCode.BadRequest, "not a version number")]
    [InlineData("/v2/models/nope/ready", HttpStatusCode.NotFound, "Unknown model")]
    public async Task ModelRoutes_UnknownModelOrVersion_ErrorJson(string url, HttpStatusCode status, string message)
    {
        using var response = await _client.GetAsync(url);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infer_MiniLmThisIsATest_MeanPooledEmbeddingMatchesKnownValues()
    {
        var (body, status) = await V2Json.PostAsync(_client, "/v2/models/minilm/infer", V2Json.MiniLm(ThisIsATest));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("[1,7,384]", body["outputs"]![0]!["shape"]!.ToJsonString());
        var embedding = MeanPoolNormalize(V2Json.Floats(body), 7, 384);
        float[] expected = [0.033591f, 0.010513f, -0.017500f, 0.029352f, -0.009420f];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], embedding[i], 1e-4f);
        }
    }

    [Fact]
    public async Task Infer_IdAndOutputSubset_AreEchoedAndApplied()
    {
        var request = V2Json.MiniLm(ThisIsATest);
        request["id"] = "req-42";
        request["outputs"] = new JsonArray(new JsonObject { ["name"] = "last_hidden_state" });

        var (body, status) = await V2Json.PostAsync(_client, "/v2/models/minilm/versions/1/infer", request);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("req-42", body["id"]!.GetValue<string>());
        Assert.Equal("minilm", body["model_name"]!.GetValue<string>());
        Assert.Equal("1", body["model_version"]!.GetValue<string>());
        Assert.Single(body["outputs"]!.AsArray());
    }

    [Fact]
    public async Task Infer_ResNetBatchOfThree_EqualsEachImageAlone()
    {
        var random = new Random(7);
        const int Size = 3 * 224 * 224;
        var images = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, Size).Select(_ => (float)(random.NextDouble() * 255 - 120)).ToArray()).ToArray();

        var batch = V2Json.Request(V2Json.Tensor("Input247", "FP32", [3, 3, 224, 224], images.SelectMany(x => x).ToArray()));
        var (batched, status) = await V2Json.PostAsync(_client, "/v2/models/resnet18/infer", batch);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("[3,512,1,1]", batched["outputs"]![0]!["shape"]!.ToJsonString());
        var all = V2Json.Floats(batched);

        for (var i = 0; i < 3; i++)
        {
            var (alone, _) = await V2Json.PostAsync(_client, "/v2/models/resnet18/infer", V2Json.Request(V2Json.Tensor("Input247", "FP32", [1, 3, 224, 224], images[i])));
            var single = V2Json.Floats(alone);
            var slice = all.AsSpan(i * 512, 512).ToArray();
            Assert.True(single.Any(v => v != 0), "features should not all be zero");
            for (var j = 0; j < 512; j++)
            {
                Assert.Equal(single[j], slice[j], 1e-5f);
            }
        }
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"x","shape":[1,1],"datatype":"INT64","data":[1]}]}""", "has no input 'x'; its inputs are: input_ids, attention_mask, token_type_ids")]
    [InlineData("""{"inputs":[{"name":"input_ids","shape":[1,1],"datatype":"INT64","data":[1]}]}""", "Missing input(s) attention_mask, token_type_ids")]
    [InlineData("""{"inputs":[{"name":"input_ids","shape":[1,1],"datatype":"FP32","data":[1]}]}""", "expected datatype INT64, got FP32")]
    [InlineData("""{"inputs":[{"name":"input_ids","shape":[7],"datatype":"INT64","data":[1,2,3,4,5,6,7]}]}""", "expected shape [batch,-1]")]
    [InlineData("""{"inputs":[{"name":"input_ids","shape":[1,3],"datatype":"INT64","data":[1,2]}]}""", "needs 3 elements, data has 2")]
    [InlineData("""{"inputs":[{"name":"input_ids","shape":[1,-3],"datatype":"INT64","data":[1]}]}""", "must be a non-negative integer")]
    [InlineData("""{"inputs":[{"name":"input_ids","shape":[9223372036854775807,2],"datatype":"INT64","data":[1]}]}""", "too large")]
    [InlineData("""{"inputs":[{"name":"input_ids","shape":[1,1],"datatype":"FP16","data":[1]}]}""", "binary tensor data extension")]
    [InlineData("""{"inputs":[{"name":"input_ids","shape":[65,1],"datatype":"INT64","data":[1]}]}""", "needs 65 elements")]
    [InlineData("""{"inputs":[""", "not valid JSON")]
    [InlineData("""{"inputs":[],"outputs":[{"name":"nope"}]}""", "Missing input(s)")]
    public async Task Infer_BadRequest_400WithErrorSayingWhatWasExpected(string body, string message)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("/v2/models/minilm/infer", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infer_BatchOverMax_400SaysTheLimit()
    {
        var ids = new long[65];
        long[] shape = [65, 1];
        var request = V2Json.Request(V2Json.Tensor("input_ids", "INT64", shape, ids), V2Json.Tensor("attention_mask", "INT64", shape, ids), V2Json.Tensor("token_type_ids", "INT64", shape, ids));

        var (body, status) = await V2Json.PostAsync(_client, "/v2/models/minilm/infer", request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("max_batch_size 64", body["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infer_PaddedSizeOverMaxBatchTokens_400SaysTheCostAndTheBudget()
    {
        // 5 rows × 512 = 2560 tokens, over MiniLM's max_batch_tokens 2048 although within max_batch_size 64.
        var ids = new long[5 * 512];
        long[] shape = [5, 512];
        var request = V2Json.Request(V2Json.Tensor("input_ids", "INT64", shape, ids), V2Json.Tensor("attention_mask", "INT64", shape, ids), V2Json.Tensor("token_type_ids", "INT64", shape, ids));

        var (body, status) = await V2Json.PostAsync(_client, "/v2/models/minilm/infer", request);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("5 rows × 512 = 2560 exceeds dynamic_batching.max_batch_tokens 2048", body["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infer_AnyContentType_IsAccepted()
    {
        using var content = new StringContent(V2Json.MiniLm(ThisIsATest).ToJsonString(), Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await _client.PostAsync("/v2/models/minilm/infer", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Infer_HostileBodies_NeverAnswer5xx()
    {
        var valid = Encoding.UTF8.GetBytes(V2Json.MiniLm(ThisIsATest).ToJsonString());
        var random = new Random(99);
        for (var i = 0; i < 150; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var f = random.Next(1, 4); f > 0; f--)
            {
                bytes[random.Next(bytes.Length)] = (byte)"0123456789-[]{},:\"eE.x "[random.Next(23)];
            }

            using var content = new ByteArrayContent(bytes);
            using var response = await _client.PostAsync("/v2/models/minilm/infer", content);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {Encoding.UTF8.GetString(bytes)}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task OpenApi_Document_ListsEveryV2RouteWithInferExample()
    {
        var doc = JsonNode.Parse(await _client.GetStringAsync("/openapi/v1.json"))!;
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();

        foreach (var route in new[] { "/v2", "/v2/health/live", "/v2/health/ready", "/v2/models/{name}", "/v2/models/{name}/versions/{version}", "/v2/models/{name}/ready", "/v2/models/{name}/versions/{version}/ready", "/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}/infer", "/v2/models/{name}/stats", "/v2/models/stats", "/v2/models/{name}/config", "/v2/models/{name}/versions/{version}/config", "/health/live", "/health/ready", "/health/startup" })
        {
            Assert.Contains(route, paths);
        }

        var example = doc["paths"]!["/v2/models/{name}/infer"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]!;
        var (body, status) = await V2Json.PostAsync(_client, "/v2/models/minilm/infer", example.DeepClone());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("example-1", body["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SwaggerUi_Get_ServesThePage()
    {
        var html = await _client.GetStringAsync("/swagger/index.html");

        Assert.Contains("swagger", html, StringComparison.OrdinalIgnoreCase);
    }

    internal static float[] MeanPoolNormalize(float[] hidden, int seq, int dim)
    {
        var pooled = new float[dim];
        for (var t = 0; t < seq; t++)
        {
            for (var d = 0; d < dim; d++)
            {
                pooled[d] += hidden[(t * dim) + d] / seq;
            }
        }

        var norm = MathF.Sqrt(pooled.Sum(v => v * v));
        return pooled.Select(v => v / norm).ToArray();
    }
}

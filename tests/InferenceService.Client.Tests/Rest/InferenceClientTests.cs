using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace InferenceService.Client.Tests.Rest;

/// <summary>Every REST call of <see cref="InferenceClient"/> against the real service, checked against raw requests and known values.</summary>
[Collection(ClientServiceCollection.Name)]
public sealed class InferenceClientTests(ClientServiceFixture service)
{
    private readonly InferenceClient _client = service.Client;

    [Fact]
    public async Task HealthAndMetadata_RealService_DescribeServerAndMiniLm()
    {
        var server = await _client.GetServerMetadataAsync();
        var model = await _client.GetModelMetadataAsync("minilm");
        var versioned = await _client.GetModelMetadataAsync("minilm", "1");

        Assert.True(await _client.IsServerLiveAsync());
        Assert.True(await _client.IsServerReadyAsync());
        Assert.True(await _client.IsModelReadyAsync("minilm"));
        Assert.True(await _client.IsModelReadyAsync("minilm", "1"));
        Assert.Equal("inference-service", server.Name);
        Assert.Contains("binary_tensor_data", server.Extensions);
        Assert.Contains("model_repository", server.Extensions);
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], model.Inputs.Select(i => i.Name));
        Assert.Equal([-1L, -1, 384], model.Outputs.Single().Shape);
        Assert.Equal(("onnxruntime_onnx", "READY", 64), (model.Platform, model.Parameters!.State, model.Parameters.MaxBatchSize));
        Assert.Equal(["1"], versioned.Versions);
    }

    [Fact]
    public async Task GetModelConfig_MiniLm_TypedFieldsAndRawDocumentAsServed()
    {
        var config = await _client.GetModelConfigAsync("minilm");
        var versioned = await _client.GetModelConfigAsync("minilm", "1");
        var raw = JsonNode.Parse(await service.Http.GetStringAsync("/v2/models/minilm/config"));

        Assert.Equal(("minilm", "onnxruntime_onnx", "onnxruntime", 64), (config.Name, config.Platform, config.Backend, config.MaxBatchSize));
        Assert.Equal(
            [("input_ids", "TYPE_INT64", "-1"), ("attention_mask", "TYPE_INT64", "-1"), ("token_type_ids", "TYPE_INT64", "-1")],
            config.Inputs.Select(i => (i.Name, i.DataType, string.Join(",", i.Dims))));
        Assert.Equal(("last_hidden_state", "TYPE_FP32", "-1,384"), (config.Outputs[0].Name, config.Outputs[0].DataType, string.Join(",", config.Outputs[0].Dims)));
        Assert.Equal(1, Assert.Single(config.InstanceGroups!).Count);
        Assert.NotNull(config.DynamicBatching);
        Assert.True(JsonNode.DeepEquals(raw, JsonNode.Parse(config.Raw.GetRawText())));
        Assert.Equal("[16,32,64,128,256]", config.Raw.GetProperty("parameters").GetProperty("dynamic_batching.length_buckets").GetProperty("string_value").GetString()!.Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Equal(config.Raw.GetRawText(), versioned.Raw.GetRawText());
    }

    [Fact]
    public async Task Infer_JsonBinaryAndPerOutputBinary_SameFloatsAsRawJsonAndKnownEmbedding()
    {
        var raw = await service.Http.PostAsJsonAsync("/v2/models/minilm/infer", new
        {
            inputs = new object[]
            {
                new { name = "input_ids", shape = new[] { 1, 7 }, datatype = "INT64", data = MiniLm.ThisIsATest },
                new { name = "attention_mask", shape = new[] { 1, 7 }, datatype = "INT64", data = new long[] { 1, 1, 1, 1, 1, 1, 1 } },
                new { name = "token_type_ids", shape = new[] { 1, 7 }, datatype = "INT64", data = new long[7] },
            },
        });
        var rawFloats = (await raw.Content.ReadFromJsonAsync<JsonObject>())!["outputs"]![0]!["data"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();

        var recorder = new RecordingHandler(service.Server.CreateHandler());
        using var recorded = new HttpClient(recorder) { BaseAddress = service.Server.BaseAddress };
        var client = new InferenceClient(recorded);

        var json = await client.InferAsync("minilm", new InferRequest(MiniLm.Inputs(MiniLm.ThisIsATest)) { Id = "client-1" });
        var jsonFraming = (recorder.RequestHeaderLength, recorder.ResponseHeaderLength);
        var binary = await client.InferAsync("minilm", new InferRequest(MiniLm.Inputs(MiniLm.ThisIsATest)) { BinaryInputs = true, BinaryOutputs = true }, version: "1");
        var binaryFraming = (recorder.RequestHeaderLength, recorder.ResponseHeaderLength);
        var perOutput = new InferRequest(MiniLm.Inputs(MiniLm.ThisIsATest)) { BinaryInputs = true };
        perOutput.Outputs.Add(new InferRequestedOutput("last_hidden_state", Binary: true));
        var oneBinary = await _client.InferAsync("minilm", perOutput);

        var output = json.GetOutput("last_hidden_state");
        Assert.Equal(("minilm", "1", "client-1"), (json.ModelName, json.ModelVersion, json.Id));
        Assert.Equal(("FP32", "1,7,384"), (output.Datatype, string.Join(",", output.Shape)));
        Assert.Equal((null, null), jsonFraming);
        Assert.NotNull(binaryFraming.RequestHeaderLength);
        Assert.NotNull(binaryFraming.ResponseHeaderLength);
        Assert.Equal(rawFloats, output.GetData<float>());
        Assert.Equal(rawFloats, binary.GetOutput("last_hidden_state").GetData<float>());
        Assert.Equal(rawFloats, oneBinary.GetOutput("last_hidden_state").GetData<float>());
        var embedding = MiniLm.MeanPoolNormalize(output.GetData<float>(), 7);
        for (var i = 0; i < MiniLm.KnownEmbeddingStart.Length; i++)
        {
            Assert.Equal(MiniLm.KnownEmbeddingStart[i], embedding[i], 1e-4f);
        }
    }

    [Fact]
    public async Task GetModelStatistics_AfterOneInference_CountsIt()
    {
        var before = Assert.Single(await _client.GetModelStatisticsAsync("minilm"));

        await _client.InferAsync("minilm", new InferRequest(MiniLm.Inputs(MiniLm.ThisIsATest)));
        var after = Assert.Single(await _client.GetModelStatisticsAsync("minilm", "1"));
        var all = await _client.GetModelStatisticsAsync();

        Assert.Equal(("minilm", "1"), (after.Name, after.Version));
        Assert.Equal(before.InferenceCount + 1, after.InferenceCount);
        Assert.Equal(before.InferenceStats.Success.Count + 1, after.InferenceStats.Success.Count);
        Assert.True(after.InferenceStats.ComputeInfer.Ns > before.InferenceStats.ComputeInfer.Ns);
        Assert.True(after.LastInference > 0);
        Assert.Equal(["minilm", "mnist"], all.Select(s => s.Name));
    }

    [Fact]
    public async Task Errors_UnknownModelAndBadInput_ThrowWithStatusAndServiceMessage()
    {
        var unknown = await Assert.ThrowsAsync<InferenceServiceException>(() => _client.GetModelMetadataAsync("nope"));
        var unknownReady = await Assert.ThrowsAsync<InferenceServiceException>(() => _client.IsModelReadyAsync("nope"));
        var badInput = await Assert.ThrowsAsync<InferenceServiceException>(() => _client.InferAsync("minilm", new InferRequest(MiniLm.Inputs(MiniLm.ThisIsATest)[0])));
        var badVersion = await Assert.ThrowsAsync<InferenceServiceException>(() => _client.GetModelConfigAsync("minilm", "x"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.StartsWith("Unknown model 'nope'. Available models: minilm, mnist", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownReady.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badInput.StatusCode);
        Assert.StartsWith("Missing input(s) attention_mask, token_type_ids", badInput.Message, StringComparison.Ordinal);
        Assert.Null(badInput.RetryAfter);
        Assert.Equal(HttpStatusCode.BadRequest, badVersion.StatusCode);
    }

    [Fact]
    public async Task Repository_WithAdminKey_IndexUnloadAndLoad_UnloadedInferenceIs503WithRetryAfter()
    {
        var keyless = new InferenceClient(service.Http);
        var refused = await Assert.ThrowsAsync<InferenceServiceException>(() => keyless.GetRepositoryIndexAsync());
        var index = await _client.GetRepositoryIndexAsync();

        IReadOnlyList<RepositoryModel> unloaded;
        InferenceServiceException unloadedReady, unavailable;
        try
        {
            unloaded = await _client.UnloadModelAsync("mnist");
            unloadedReady = await Assert.ThrowsAsync<InferenceServiceException>(() => _client.IsModelReadyAsync("mnist"));
            unavailable = await Assert.ThrowsAsync<InferenceServiceException>(() => _client.InferAsync("mnist", new InferRequest(Digit())));
        }
        finally
        {
            // The other tests share this service: mnist comes back whatever happened above.
            await _client.LoadModelAsync("mnist");
        }

        var answer = await _client.InferAsync("mnist", new InferRequest(Digit()));
        var unknown = await Assert.ThrowsAsync<InferenceServiceException>(() => _client.LoadModelAsync("nope"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal([("minilm", "1", "READY"), ("mnist", "1", "READY")], index.Select(r => (r.Name, r.Version, r.State)));
        Assert.Equal("UNAVAILABLE", Assert.Single(unloaded).State);

        // The service answers readiness of an unloaded model as unknown (404), and its inference as retryable (503).
        Assert.Equal(HttpStatusCode.NotFound, unloadedReady.StatusCode);
        Assert.Contains("is unloaded", unloadedReady.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), unavailable.RetryAfter);
        Assert.Equal([1L, 10], answer.GetOutput("logits").Shape);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static InferTensor Digit() => InferTensor.Create("input", [1, 1, 28, 28], new float[28 * 28]);
}

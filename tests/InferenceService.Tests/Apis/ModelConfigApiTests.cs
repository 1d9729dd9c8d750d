using System.Net;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using InferenceService.Grpc;

namespace InferenceService.Tests.Apis;

/// <summary>
/// Triton's model configuration extension: the REST route's JSON is Triton's ModelConfig in the protobuf JSON mapping
/// (parsed here with Google.Protobuf's own parser, unknown fields refused) and the same message the ModelConfig RPC answers.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ModelConfigApiTests(ServiceFixture service) : IDisposable
{
    private static readonly JsonParser StrictParser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(service.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = service.Server.CreateHandler() });

    private GRPCInferenceService.GRPCInferenceServiceClient Client => new(_channel);

    public void Dispose() => _channel.Dispose();

    public static TheoryData<string> ShippedModels() => [.. Directory.GetDirectories(RepoPaths.Models).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(ShippedModels))]
    public async Task ConfigRoute_ShippedModel_ParsesAsTritonModelConfigEqualToGrpc(string model)
    {
        using var response = await service.Client.GetAsync($"/v2/models/{model}/config");
        var json = await response.Content.ReadAsStringAsync();
        var rest = StrictParser.Parse<ModelConfig>(json);
        // The shipped models serve their newest version (spam serves 2, the others 1).
        var newest = Directory.GetDirectories(Path.Combine(RepoPaths.Models, model)).Select(Path.GetFileName)
            .Where(n => n!.All(char.IsAsciiDigit)).Max(n => int.Parse(n!, System.Globalization.CultureInfo.InvariantCulture));
        var versioned = StrictParser.Parse<ModelConfig>(await service.Client.GetStringAsync($"/v2/models/{model}/versions/{newest}/config"));
        var grpc = (await Client.ModelConfigAsync(new ModelConfigRequest { Name = model })).Config;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(grpc, rest);
        Assert.Equal(rest, versioned);
        Assert.Equal((model, "onnxruntime_onnx", "onnxruntime"), (rest.Name, rest.Platform, rest.Backend));
        var config = service.Models.Models[model].Versions[0].Config;
        Assert.Equal(config.MaxBatchSize, rest.MaxBatchSize);
        var inputs = JsonNode.Parse(json)!["input"]!.AsArray();
        Assert.Equal(config.Inputs.Select(i => (i.Name, "TYPE_" + i.Datatype)), inputs.Select(i => (i!["name"]!.GetValue<string>(), i["data_type"]!.GetValue<string>())));
        Assert.Equal(config.Inputs.Select(i => i.Dims.ToArray()), rest.Input.Select(i => i.Dims.ToArray()));
        Assert.Equal(config.Outputs.Select(o => (o.Name, o.Dims.ToArray())), rest.Output.Select(o => (o.Name, o.Dims.ToArray())));
        Assert.Equal(ModelConfig.SchedulingChoiceOneofCase.DynamicBatching, rest.SchedulingChoiceCase);
        Assert.Equal(1u, rest.VersionPolicy.Latest.NumVersions);
    }

    [Fact]
    public async Task ConfigRoute_MiniLm_TritonFieldsAsTritonWritesThemAndOwnSettingsAsParameters()
    {
        var json = JsonNode.Parse(await service.Client.GetStringAsync("/v2/models/minilm/config"))!;
        var minilm = service.Models.Models["minilm"].Versions[0];

        // Triton's JSON: .proto field names, enums by name, 64-bit integers as numbers, defaults written out.
        Assert.Equal(64, json["max_batch_size"]!.GetValue<int>());
        Assert.Equal("TYPE_INT64", json["input"]![0]!["data_type"]!.GetValue<string>());
        Assert.Equal([-1L], json["input"]![0]!["dims"]!.AsArray().Select(d => d!.GetValue<long>()));
        Assert.Equal([-1L, 384L], json["output"]![0]!["dims"]!.AsArray().Select(d => d!.GetValue<long>()));
        Assert.Equal("TYPE_FP32", json["output"]![0]!["data_type"]!.GetValue<string>());
        Assert.False(json["input"]![0]!["optional"]!.GetValue<bool>());
        var batching = json["dynamic_batching"]!;
        Assert.Equal(0L, batching["max_queue_delay_microseconds"]!.GetValue<long>());
        Assert.Equal(2048, batching["default_queue_policy"]!["max_queue_size"]!.GetValue<int>());
        Assert.Equal("REJECT", batching["default_queue_policy"]!["timeout_action"]!.GetValue<string>());
        Assert.Equal(1, json["version_policy"]!["latest"]!["num_versions"]!.GetValue<int>());
        Assert.Equal(0, json["optimization"]!["graph"]!["level"]!.GetValue<int>());
        var group = json["instance_group"]![0]!;
        Assert.Equal(1, group["count"]!.GetValue<int>());
        Assert.Equal(minilm.ExecutionProvider == "cuda" ? "KIND_GPU" : "KIND_CPU", group["kind"]!.GetValue<string>());
        Assert.Equal([16L], json["model_warmup"]![0]!["inputs"]!["input_ids"]!["dims"]!.AsArray().Select(d => d!.GetValue<long>()));
        var parameters = json["parameters"]!;
        Assert.Equal("[16,32,64,128,256]", parameters["dynamic_batching.length_buckets"]!["string_value"]!.GetValue<string>());
        Assert.Equal("0", parameters["inputs.input_ids.pad_value"]!["string_value"]!.GetValue<string>());
        Assert.Equal("""["cuda","cpu"]""", parameters["execution_providers"]!["string_value"]!.GetValue<string>());
        Assert.Equal("text-embedder", JsonNode.Parse(parameters["pipeline"]!["string_value"]!.GetValue<string>())!["kind"]!.GetValue<string>());
        Assert.Equal("2048", parameters["dynamic_batching.max_batch_tokens"]!["string_value"]!.GetValue<string>());
        Assert.Null(parameters["dynamic_batching.latency_target_ms"]);
    }

    [Theory]
    [InlineData("/v2/models/nope/config", HttpStatusCode.NotFound)]
    [InlineData("/v2/models/minilm/versions/2/config", HttpStatusCode.NotFound)]
    [InlineData("/v2/models/minilm/versions/0/config", HttpStatusCode.BadRequest)]
    [InlineData("/v2/models/minilm/versions/one/config", HttpStatusCode.BadRequest)]
    public async Task ConfigRoute_UnknownModelOrBadVersion_V2Error(string url, HttpStatusCode status)
    {
        using var response = await service.Client.GetAsync(url);

        Assert.Equal(status, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("nope", "", StatusCode.NotFound)]
    [InlineData("minilm", "2", StatusCode.NotFound)]
    [InlineData("minilm", "0", StatusCode.InvalidArgument)]
    public async Task ModelConfigRpc_UnknownModelOrBadVersion_Status(string model, string version, StatusCode expected)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.ModelConfigAsync(new ModelConfigRequest { Name = model, Version = version }));

        Assert.Equal(expected, error.StatusCode);
    }
}

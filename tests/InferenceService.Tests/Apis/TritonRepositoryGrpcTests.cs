using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using InferenceService.Apis;
using InferenceService.Grpc;

namespace InferenceService.Tests.Apis;

/// <summary>
/// Triton's repository RPCs on the REST API's rules (served only with an admin key, the key in x-api-key metadata),
/// and streaming inference's concurrency, on generated models.
/// </summary>
public sealed class TritonRepositoryGrpcTests
{
    private const string Key = "grpc-admin-key";

    private static readonly Metadata WithKey = new() { { GrpcInferenceApi.AdminKeyMetadata, Key } };

    private static CustomService Service(string mode = "explicit", string? key = Key) => new(new()
    {
        ["ModelRepository:ControlMode"] = mode,
        ["Admin:ApiKey"] = key,
    });

    private static GrpcChannel Channel(CustomService service) =>
        GrpcChannel.ForAddress(service.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = service.Server.CreateHandler() });

    private static ModelInferRequest Adder(string id = "", string datatype = "FP32")
    {
        var request = new ModelInferRequest { ModelName = "adder", Id = id };
        request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = datatype, Shape = { 1, 4 }, Contents = new InferTensorContents { Fp32Contents = { 1f, 2f, 3f, 4f } } });
        return request;
    }

    [Fact]
    public async Task RepositoryRpcs_WithKey_IndexUnloadAndLoadAsRestDoes()
    {
        using var service = Service();
        AdderModel.Publish(service.RepositoryPath, "adder", 1, AdderModel.Build(1));
        var rest = await service.StartAsync();
        using var channel = Channel(service);
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);

        var index = await client.RepositoryIndexAsync(new RepositoryIndexRequest(), WithKey);
        using var restRequest = new HttpRequestMessage(HttpMethod.Post, "/v2/repository/index") { Headers = { { "X-API-Key", Key } } };
        using var restResponse = await rest.SendAsync(restRequest);
        var restIndex = (await restResponse.Content.ReadFromJsonAsync<JsonArray>())!;
        await client.RepositoryModelUnloadAsync(new RepositoryModelUnloadRequest { ModelName = "adder" }, WithKey);
        var unavailable = await Assert.ThrowsAsync<RpcException>(async () => await client.ModelInferAsync(Adder()));
        var afterUnload = await client.RepositoryIndexAsync(new RepositoryIndexRequest(), WithKey);
        var readyOnly = await client.RepositoryIndexAsync(new RepositoryIndexRequest { Ready = true }, WithKey);
        await client.RepositoryModelLoadAsync(new RepositoryModelLoadRequest { ModelName = "adder" }, WithKey);
        var answer = await client.ModelInferAsync(Adder());
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await client.RepositoryModelLoadAsync(new RepositoryModelLoadRequest { ModelName = "nope" }, WithKey));
        var unknownUnload = await Assert.ThrowsAsync<RpcException>(async () => await client.RepositoryModelUnloadAsync(new RepositoryModelUnloadRequest { ModelName = "nope" }, WithKey));

        var row = Assert.Single(index.Models);
        Assert.Equal(("adder", "1", "READY", string.Empty), (row.Name, row.Version, row.State, row.Reason));
        Assert.Equal(restIndex.Select(r => (r!["name"]!.GetValue<string>(), r["version"]!.GetValue<string>(), r["state"]!.GetValue<string>())), index.Models.Select(m => (m.Name, m.Version, m.State)));
        Assert.Equal(StatusCode.Unavailable, unavailable.StatusCode);
        Assert.Equal("UNAVAILABLE", Assert.Single(afterUnload.Models).State);
        Assert.Empty(readyOnly.Models);
        Assert.Equal([2f, 3f, 4f, 5f], GrpcApiTests.Floats(answer));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknownUnload.StatusCode);
    }

    [Theory]
    [InlineData(null, StatusCode.Unauthenticated)]
    [InlineData("wrong", StatusCode.PermissionDenied)]
    public async Task RepositoryRpcs_KeyMissingOrWrong_RefusedWithoutEchoingTheKey(string? key, StatusCode expected)
    {
        using var service = Service();
        await service.StartAsync();
        using var channel = Channel(service);
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var metadata = key is null ? new Metadata() : new Metadata { { GrpcInferenceApi.AdminKeyMetadata, key } };

        var errors = new[]
        {
            await Assert.ThrowsAsync<RpcException>(async () => await client.RepositoryIndexAsync(new RepositoryIndexRequest(), metadata)),
            await Assert.ThrowsAsync<RpcException>(async () => await client.RepositoryModelLoadAsync(new RepositoryModelLoadRequest { ModelName = "adder" }, metadata)),
            await Assert.ThrowsAsync<RpcException>(async () => await client.RepositoryModelUnloadAsync(new RepositoryModelUnloadRequest { ModelName = "adder" }, metadata)),
        };

        Assert.All(errors, e => Assert.Equal(expected, e.StatusCode));
        Assert.All(errors, e => Assert.DoesNotContain(Key, e.Status.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RepositoryRpcs_NoKeyConfigured_UnimplementedAndNotListed()
    {
        using var service = Service(key: null);
        var rest = await service.StartAsync();
        using var channel = Channel(service);
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.RepositoryIndexAsync(new RepositoryIndexRequest(), WithKey));
        var metadata = await client.ServerMetadataAsync(new ServerMetadataRequest());
        using var restIndex = await rest.PostAsync("/v2/repository/index", null);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, restIndex.StatusCode);
        Assert.DoesNotContain("model_repository", metadata.Extensions);
    }

    [Fact]
    public async Task ServerMetadata_WithKey_ListsModelRepositoryOverRestAndGrpc()
    {
        using var service = Service();
        var rest = await service.StartAsync();
        using var channel = Channel(service);
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);

        var grpc = await client.ServerMetadataAsync(new ServerMetadataRequest());
        var restExtensions = JsonNode.Parse(await rest.GetStringAsync("/v2"))!["extensions"]!.AsArray().Select(e => e!.GetValue<string>());

        Assert.Equal(["binary_tensor_data", "logging", "model_configuration", "model_repository", "schedule_policy", "statistics"], grpc.Extensions);
        Assert.Equal(grpc.Extensions, restExtensions);
    }

    [Theory]
    [InlineData("none", "", "", "ControlMode is none")]
    [InlineData("explicit", "other", "", "repository_name must be empty")]
    [InlineData("explicit", "", "config", "parameters config are not supported")]
    public async Task RepositoryModelLoad_RefusedAsRestRefuses_InvalidArgument(string mode, string repository, string parameter, string says)
    {
        using var service = Service(mode);
        AdderModel.Publish(service.RepositoryPath, "adder", 1, AdderModel.Build(1));
        await service.StartAsync();
        using var channel = Channel(service);
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var request = new RepositoryModelLoadRequest { ModelName = "adder", RepositoryName = repository };
        if (parameter.Length > 0)
        {
            request.Parameters[parameter] = new ModelRepositoryParameter { StringParam = "{}" };
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.RepositoryModelLoadAsync(request, WithKey));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(says, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelStreamInfer_RequestsRunConcurrently_TheyFormOneBatch()
    {
        // The batcher holds a batch for 30 s unless it fills (8 = max_batch_size): answers within the call's 20 s
        // deadline mean the stream's eight requests were queued together, not run one after another.
        using var service = Service("none");
        service.Write("adder/config.json", AdderModel.Config.Replace("\"max_queue_delay_microseconds\": 500", "\"max_queue_delay_microseconds\": 30000000", StringComparison.Ordinal));
        AdderModel.Publish(service.RepositoryPath, "adder", 1, AdderModel.Build(1));
        await service.StartAsync();
        using var channel = Channel(service);
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);

        using var call = client.ModelStreamInfer(deadline: DateTime.UtcNow.AddSeconds(20));
        for (var i = 0; i < 8; i++)
        {
            await call.RequestStream.WriteAsync(Adder($"r{i}"));
        }

        await call.RequestStream.CompleteAsync();
        var answers = new List<ModelStreamInferResponse>();
        await foreach (var answer in call.ResponseStream.ReadAllAsync())
        {
            answers.Add(answer);
        }

        var stats = (await client.ModelStatisticsAsync(new ModelStatisticsRequest { Name = "adder" })).ModelStats[0];

        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"r{i}"), answers.Select(a => a.InferResponse.Id).Order(StringComparer.Ordinal));
        Assert.All(answers, a => Assert.Equal(string.Empty, a.ErrorMessage));
        Assert.All(answers, a => Assert.Equal([2f, 3f, 4f, 5f], GrpcApiTests.Floats(a.InferResponse)));
        Assert.Equal((8ul, 1ul), (stats.InferenceCount, stats.ExecutionCount));
        Assert.Equal(8ul, Assert.Single(stats.BatchStats).BatchSize);
    }
}

using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using InferenceService.Grpc;

namespace InferenceService.Tests.Apis;

/// <summary>Triton's gRPC extensions against the real models: streaming inference, statistics, server metadata.</summary>
[Collection(ServiceCollection.Name)]
public sealed class TritonGrpcTests(ServiceFixture service) : IDisposable
{
    private static readonly JsonParser LenientParser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(service.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = service.Server.CreateHandler() });

    private GRPCInferenceService.GRPCInferenceServiceClient Client => new(_channel);

    public void Dispose() => _channel.Dispose();

    [Fact]
    public async Task ModelStreamInfer_SixteenRequestsOneBad_FifteenResultsOneErrorOnAnUnbrokenStream()
    {
        var requests = Enumerable.Range(0, 16).Select(i =>
        {
            var request = GrpcApiTests.MiniLm(raw: i % 2 == 0);
            request.Id = $"s{i}";
            return request;
        }).ToList();
        requests[7].Inputs[1].Datatype = "FP32";
        var expected = GrpcApiTests.Floats(await Client.ModelInferAsync(GrpcApiTests.MiniLm(raw: false)));
        var unaryError = await Assert.ThrowsAsync<RpcException>(async () => await Client.ModelInferAsync(requests[7]));

        using var call = Client.ModelStreamInfer();
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request);
        }

        await call.RequestStream.CompleteAsync();
        var answers = new List<ModelStreamInferResponse>();
        await foreach (var answer in call.ResponseStream.ReadAllAsync())
        {
            answers.Add(answer);
        }

        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal(requests.Select(r => r.Id).Order(StringComparer.Ordinal), answers.Select(a => a.InferResponse.Id).Order(StringComparer.Ordinal));
        var failed = Assert.Single(answers, a => a.ErrorMessage.Length > 0);
        Assert.Equal("s7", failed.InferResponse.Id);
        Assert.Equal(unaryError.Status.Detail, failed.ErrorMessage);
        var results = answers.Where(a => a.ErrorMessage.Length == 0).ToList();
        Assert.Equal(15, results.Count);
        Assert.All(results, r => Assert.Equal(("minilm", "1"), (r.InferResponse.ModelName, r.InferResponse.ModelVersion)));
        Assert.All(results, r => Assert.Equal(expected, GrpcApiTests.Floats(r.InferResponse)));
    }

    [Fact]
    public async Task ModelStatistics_AfterTraffic_SameNumbersAsRest()
    {
        await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ => await Client.ModelInferAsync(GrpcApiTests.MiniLm(raw: true))));

        var grpc = await Client.ModelStatisticsAsync(new ModelStatisticsRequest { Name = "minilm" });
        var rest = LenientParser.Parse<ModelStatisticsResponse>(await service.Client.GetStringAsync("/v2/models/minilm/stats"));
        var grpcAll = await Client.ModelStatisticsAsync(new ModelStatisticsRequest());
        var restAll = LenientParser.Parse<ModelStatisticsResponse>(await service.Client.GetStringAsync("/v2/models/stats"));
        var grpcVersion = await Client.ModelStatisticsAsync(new ModelStatisticsRequest { Name = "minilm", Version = "1" });

        Assert.Equal(rest, grpc);
        Assert.Equal(restAll, grpcAll);
        Assert.Equal(grpc, grpcVersion);
        var minilm = Assert.Single(grpc.ModelStats);
        Assert.True(minilm.InferenceStats.Success.Count >= 6, $"{minilm.InferenceStats.Success.Count} successes");
        Assert.True(minilm.InferenceStats.ComputeInfer.Ns > 0);
        Assert.NotEmpty(minilm.BatchStats);
        Assert.True(minilm.LastInference > 0);
        Assert.Equal(service.Models.Models.Count, grpcAll.ModelStats.Count);
    }

    [Theory]
    [InlineData("nope", "", StatusCode.NotFound)]
    [InlineData("minilm", "7", StatusCode.NotFound)]
    [InlineData("minilm", "x", StatusCode.InvalidArgument)]
    public async Task ModelStatistics_UnknownModelOrBadVersion_Status(string model, string version, StatusCode expected)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.ModelStatisticsAsync(new ModelStatisticsRequest { Name = model, Version = version }));

        Assert.Equal(expected, error.StatusCode);
    }

    [Fact]
    public async Task ServerMetadata_NoAdminKey_ListsExactlyTheServedExtensionsOverRestAndGrpc()
    {
        var grpc = await Client.ServerMetadataAsync(new ServerMetadataRequest());
        var rest = JsonNode.Parse(await service.Client.GetStringAsync("/v2"))!["extensions"]!.AsArray().Select(e => e!.GetValue<string>());

        Assert.Equal(["binary_tensor_data", "model_configuration", "schedule_policy", "statistics"], grpc.Extensions);
        Assert.Equal(grpc.Extensions, rest);
    }
}

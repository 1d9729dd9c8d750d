using System.Net;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using InferenceService.Grpc;

namespace InferenceService.Tests.Apis;

/// <summary>REST and gRPC are adapters over one request path: the same parameter values are accepted and refused alike.</summary>
[Collection(ServiceCollection.Name)]
public sealed class RequestPathParityTests(ServiceFixture service) : IDisposable
{
    private static readonly long[] Ids = [101, 2023, 2003, 1037, 3231, 1012, 102];

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(service.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = service.Server.CreateHandler() });

    public void Dispose() => _channel.Dispose();

    [Theory]
    [InlineData(-1L, null, "parameters.priority must be an integer from 0 or more")]
    [InlineData(null, -5L, "parameters.timeout must be an integer number of microseconds >= 0")]
    [InlineData(-3L, -5L, "parameters.priority must be an integer from 0 or more")]
    public async Task BadParameters_RestAndGrpc_SameRefusal(long? priority, long? timeout, string message)
    {
        var rest = V2Json.MiniLm(Ids);
        var parameters = new JsonObject();
        var grpc = GrpcRequest();
        if (priority is { } p)
        {
            parameters["priority"] = p;
            grpc.Parameters["priority"] = new InferParameter { Int64Param = p };
        }

        if (timeout is { } t)
        {
            parameters["timeout"] = t;
            grpc.Parameters["timeout"] = new InferParameter { Int64Param = t };
        }

        rest["parameters"] = parameters;
        var (body, status) = await V2Json.PostAsync(service.Client, "/v2/models/minilm/infer", rest);
        var error = await Assert.ThrowsAsync<RpcException>(() => new GRPCInferenceService.GRPCInferenceServiceClient(_channel).ModelInferAsync(grpc).ResponseAsync);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(message, body["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(body["error"]!.GetValue<string>(), error.Status.Detail);
    }

    [Fact]
    public async Task NonIntegerPriority_RestAndGrpc_SameRefusal()
    {
        var rest = V2Json.MiniLm(Ids);
        rest["parameters"] = new JsonObject { ["priority"] = "high" };
        var grpc = GrpcRequest();
        grpc.Parameters["priority"] = new InferParameter { StringParam = "high" };

        var (body, status) = await V2Json.PostAsync(service.Client, "/v2/models/minilm/infer", rest);
        var error = await Assert.ThrowsAsync<RpcException>(() => new GRPCInferenceService.GRPCInferenceServiceClient(_channel).ModelInferAsync(grpc).ResponseAsync);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(body["error"]!.GetValue<string>(), error.Status.Detail);
    }

    [Fact]
    public async Task TritonClientParameters_Uint64PriorityAndHugeTimeout_Served()
    {
        // Triton's clients send priority as uint64_param; a timeout beyond any model's limit changes nothing.
        var grpc = GrpcRequest();
        grpc.Parameters["priority"] = new InferParameter { Uint64Param = 1 };
        grpc.Parameters["timeout"] = new InferParameter { Int64Param = long.MaxValue };
        var rest = V2Json.MiniLm(Ids);
        rest["parameters"] = new JsonObject { ["priority"] = 1, ["timeout"] = long.MaxValue };

        var response = await new GRPCInferenceService.GRPCInferenceServiceClient(_channel).ModelInferAsync(grpc);
        var (_, status) = await V2Json.PostAsync(service.Client, "/v2/models/minilm/infer", rest);

        Assert.Equal("minilm", response.ModelName);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static ModelInferRequest GrpcRequest()
    {
        var request = new ModelInferRequest { ModelName = "minilm" };
        foreach (var (name, values) in new[] { ("input_ids", Ids), ("attention_mask", Ids.Select(_ => 1L).ToArray()), ("token_type_ids", new long[Ids.Length]) })
        {
            request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = "INT64", Shape = { 1, Ids.Length }, Contents = new InferTensorContents { Int64Contents = { values } } });
        }

        return request;
    }
}

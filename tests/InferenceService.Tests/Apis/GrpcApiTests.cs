using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using InferenceService.Grpc;

namespace InferenceService.Tests.Apis;

/// <summary>The gRPC Open Inference Protocol through Grpc.Net.Client, every RPC, against the real models.</summary>
[Collection(ServiceCollection.Name)]
public sealed class GrpcApiTests(ServiceFixture service) : IDisposable
{
    private static readonly long[] ThisIsATest = [101, 2023, 2003, 1037, 3231, 1012, 102];

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(service.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = service.Server.CreateHandler() });

    private GRPCInferenceService.GRPCInferenceServiceClient Client => new(_channel);

    public void Dispose() => _channel.Dispose();

    internal static ModelInferRequest MiniLm(bool raw)
    {
        var request = new ModelInferRequest { ModelName = "minilm", Id = "g1" };
        foreach (var (name, values) in new[] { ("input_ids", ThisIsATest), ("attention_mask", ThisIsATest.Select(_ => 1L).ToArray()), ("token_type_ids", new long[7]) })
        {
            var tensor = new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = "INT64", Shape = { 1, 7 } };
            if (raw)
            {
                request.RawInputContents.Add(ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())));
            }
            else
            {
                tensor.Contents = new InferTensorContents { Int64Contents = { values } };
            }

            request.Inputs.Add(tensor);
        }

        return request;
    }

    internal static float[] Floats(ModelInferResponse response) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(response.RawOutputContents[0].Span).ToArray();

    [Fact]
    public async Task ServerLiveAndReady_ModelsLoaded_True()
    {
        Assert.True((await Client.ServerLiveAsync(new ServerLiveRequest())).Live);
        Assert.True((await Client.ServerReadyAsync(new ServerReadyRequest())).Ready);
    }

    [Fact]
    public async Task ModelReady_KnownAndUnknown_TrueOrNotFound()
    {
        Assert.True((await Client.ModelReadyAsync(new ModelReadyRequest { Name = "resnet18", Version = "1" })).Ready);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.ModelReadyAsync(new ModelReadyRequest { Name = "nope" }));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task ServerMetadata_NamesServer()
    {
        var metadata = await Client.ServerMetadataAsync(new ServerMetadataRequest());

        Assert.Equal("inference-service", metadata.Name);
        Assert.Contains("binary_tensor_data", metadata.Extensions);
    }

    [Fact]
    public async Task ModelMetadata_MiniLm_ShapesWithBatchDim()
    {
        var metadata = await Client.ModelMetadataAsync(new ModelMetadataRequest { Name = "minilm" });

        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], metadata.Inputs.Select(i => i.Name));
        Assert.Equal([-1L, -1L, 384L], metadata.Outputs[0].Shape);
        Assert.Equal(["1"], metadata.Versions);
    }

    [Fact]
    public async Task ModelInfer_TypedAndRawContents_SameAnswerAsRest()
    {
        var typed = await Client.ModelInferAsync(MiniLm(raw: false));
        var raw = await Client.ModelInferAsync(MiniLm(raw: true));
        var (rest, _) = await V2Json.PostAsync(service.Client, "/v2/models/minilm/infer", V2Json.MiniLm(ThisIsATest));

        Assert.Equal("g1", typed.Id);
        Assert.Equal([1L, 7L, 384L], typed.Outputs[0].Shape);
        Assert.Equal(V2Json.Floats(rest), Floats(typed));
        Assert.Equal(Floats(typed), Floats(raw));
        var embedding = V2ApiTests.MeanPoolNormalize(Floats(typed), 7, 384);
        Assert.Equal(0.033591f, embedding[0], 1e-4f);
    }

    [Theory]
    [InlineData("nope", "INT64", StatusCode.NotFound)]
    [InlineData("minilm", "FP32", StatusCode.InvalidArgument)]
    [InlineData("minilm", "FLOAT", StatusCode.InvalidArgument)]
    public async Task ModelInfer_BadRequest_StatusSaysWhy(string model, string datatype, StatusCode expected)
    {
        var request = MiniLm(raw: false);
        request.ModelName = model;
        request.Inputs[0].Datatype = datatype;

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.ModelInferAsync(request));

        Assert.Equal(expected, error.StatusCode);
        Assert.False(string.IsNullOrEmpty(error.Status.Detail));
    }

    [Fact]
    public async Task ModelInfer_RawContentsWrongLength_InvalidArgument()
    {
        var request = MiniLm(raw: true);
        request.RawInputContents[1] = ByteString.CopyFrom(new byte[5]);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.ModelInferAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("need 56 bytes", error.Status.Detail, StringComparison.Ordinal);
    }
}

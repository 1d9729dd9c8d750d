using Grpc.Core;
using Grpc.Net.Client;
using InferenceService.Grpc;

namespace InferenceService.Client.Tests.Grpc;

/// <summary>The client generated from the service's proto, and the InferAsync wrapper, against the real service.</summary>
[Collection(ClientServiceCollection.Name)]
public sealed class InferenceGrpcClientTests(ClientServiceFixture service) : IDisposable
{
    private readonly InferenceGrpcClient _grpc = InferenceGrpcClient.Create(service.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = service.Server.CreateHandler() });

    public void Dispose() => _grpc.Dispose();

    [Fact]
    public async Task ModelInfer_GeneratedClientAndWrapper_SameFloatsAsRest()
    {
        var request = new ModelInferRequest { ModelName = "minilm", Id = "g1" };
        foreach (var input in MiniLm.Inputs(MiniLm.ThisIsATest))
        {
            request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor
            {
                Name = input.Name,
                Datatype = input.Datatype,
                Shape = { input.Shape },
                Contents = new InferTensorContents { Int64Contents = { input.GetData<long>() } },
            });
        }

        var generated = await _grpc.Client.ModelInferAsync(request);
        var wrapped = await _grpc.InferAsync("minilm", MiniLm.Inputs(MiniLm.ThisIsATest), id: "g2");
        var rest = await service.Client.InferAsync("minilm", new InferRequest(MiniLm.Inputs(MiniLm.ThisIsATest)));

        var expected = rest.GetOutput("last_hidden_state").GetData<float>();
        Assert.True((await _grpc.Client.ServerLiveAsync(new ServerLiveRequest())).Live);
        Assert.Equal(("minilm", "1", "g1"), (generated.ModelName, generated.ModelVersion, generated.Id));
        Assert.Equal(expected, InferenceGrpcClient.ToInferResponse(generated).GetOutput("last_hidden_state").GetData<float>());
        Assert.Equal("g2", wrapped.Id);
        Assert.Equal([1L, 7, 384], wrapped.GetOutput("last_hidden_state").Shape);
        Assert.Equal(expected, wrapped.GetOutput("last_hidden_state").GetData<float>());
    }

    [Fact]
    public async Task RepositoryIndex_AdminKeyMetadata_ListsModels()
    {
        var index = await _grpc.Client.RepositoryIndexAsync(new RepositoryIndexRequest(), InferenceGrpcClient.AdminKey(ClientServiceFixture.AdminKey));
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await _grpc.Client.RepositoryIndexAsync(new RepositoryIndexRequest()));

        Assert.Equal(["minilm", "mnist"], index.Models.Select(m => m.Name));
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }
}

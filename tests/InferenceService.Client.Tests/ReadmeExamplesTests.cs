using System.Net;
using Grpc.Net.Client;
using InferenceService.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceService.Client.Tests;

/// <summary>
/// README.md's ".NET client" code, line for line, so it keeps compiling and working. Only what reaches the server
/// differs: the in-process service has no socket, so its address and handler stand in for http://127.0.0.1:8000/8001.
/// </summary>
[Collection(ClientServiceCollection.Name)]
public sealed class ReadmeExamplesTests(ClientServiceFixture service)
{
    [Fact]
    public async Task V2ClientExample_RunsAsWritten()
    {
        using var http = service.CreateClient();

        // README: using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:8000") };
        var client = new InferenceClient(http);
        ServerMetadata server = await client.GetServerMetadataAsync();
        ModelConfiguration config = await client.GetModelConfigAsync("minilm"); // typed fields, and config.Raw

        // "This is a test." tokenised for MiniLM, sent and answered as binary tensors.
        long[] ids = [101, 2023, 2003, 1037, 3231, 1012, 102];
        var request = new InferRequest(
            InferTensor.Create("input_ids", [1, 7], ids),
            InferTensor.Create("attention_mask", [1, 7], new long[] { 1, 1, 1, 1, 1, 1, 1 }),
            InferTensor.Create("token_type_ids", [1, 7], new long[7]))
        { BinaryInputs = true, BinaryOutputs = true };
        InferResponse response = await client.InferAsync("minilm", request);
        float[] hidden = response.GetOutput("last_hidden_state").GetData<float>(); // shape [1, 7, 384]

        try
        {
            await client.GetModelMetadataAsync("nope");
        }
        catch (InferenceServiceException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            Console.WriteLine(e.Message); // Unknown model 'nope'. Available models: ...
        }

        // README: using var grpc = InferenceGrpcClient.Create(new Uri("http://127.0.0.1:8001"));
        using var grpc = InferenceGrpcClient.Create(service.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = service.Server.CreateHandler() });
        bool live = (await grpc.Client.ServerLiveAsync(new ServerLiveRequest())).Live;
        InferResponse viaGrpc = await grpc.InferAsync("minilm", request.Inputs);

        Assert.Equal("inference-service", server.Name);
        Assert.Equal(64, config.MaxBatchSize);
        Assert.Equal(7 * 384, hidden.Length);
        Assert.True(live);
        Assert.Equal(hidden, viaGrpc.GetOutput("last_hidden_state").GetData<float>());
    }

    [Fact]
    public async Task EmbeddingsExample_RunsAsWritten()
    {
        var builder = WebApplication.CreateBuilder();

        // README: builder.Services.AddInferenceServiceEmbeddings(new Uri("http://127.0.0.1:8000"));
        builder.Services.AddInferenceServiceEmbeddings(service.Server.BaseAddress).ConfigurePrimaryHttpMessageHandler(() => service.Server.CreateHandler());
        await using var app = builder.Build();

        var generator = app.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var embeddings = await generator.GenerateAsync(["This is a test.", "A man is eating food."]);
        float[] vector = embeddings[0].Vector.ToArray(); // 384 values, unit length
        long? tokens = embeddings.Usage?.InputTokenCount;

        Assert.Equal(384, vector.Length);
        Assert.Equal(2, embeddings.Count);
        Assert.True(tokens > 7);
    }
}

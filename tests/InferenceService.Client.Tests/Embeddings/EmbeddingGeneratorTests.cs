using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceService.Client.Tests.Embeddings;

/// <summary>The IEmbeddingGenerator over /v1/text/embeddings: the route's values, known cosines, order, usage, metadata, DI.</summary>
[Collection(ClientServiceCollection.Name)]
public sealed class EmbeddingGeneratorTests(ClientServiceFixture service)
{
    private readonly InferenceServiceEmbeddingGenerator _generator = new(service.Http);

    [Fact]
    public async Task GenerateAsync_KnownSentence_EqualsTheRouteAndKnownValuesWithUsage()
    {
        var raw = await service.Http.PostAsJsonAsync("/v1/text/embeddings", new { texts = new[] { "This is a test." } });
        var expected = (await raw.Content.ReadFromJsonAsync<JsonObject>())!["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();

        var result = await _generator.GenerateAsync(["This is a test."]);

        var embedding = Assert.Single(result);
        Assert.Equal(expected, embedding.Vector.ToArray());
        Assert.Equal(MiniLm.KnownEmbeddingStart, embedding.Vector[..5].ToArray(), (a, b) => Math.Abs(a - b) < 1e-5f);
        Assert.Equal(("minilm", 384), (embedding.ModelId, embedding.Dimensions));
        Assert.Equal((7, false), ((int)embedding.AdditionalProperties!["tokens"]!, (bool)embedding.AdditionalProperties["truncated"]!));
        Assert.Equal((7L, 7L), (result.Usage!.InputTokenCount, result.Usage.TotalTokenCount));
    }

    [Fact]
    public async Task GenerateAsync_KnownSentences_KnownCosines()
    {
        var result = await _generator.GenerateAsync(["A man is eating food.", "The girl is carrying a baby.", "A man is eating a piece of bread."]);

        Assert.Equal(0.7553f, MiniLm.Cosine(result[0].Vector.Span, result[2].Vector.Span), 1e-4f);
        Assert.Equal(-0.1050f, MiniLm.Cosine(result[0].Vector.Span, result[1].Vector.Span), 1e-4f);
    }

    [Fact]
    public async Task GenerateAsync_MoreTextsThanABatch_ChunksInOrder()
    {
        string[] texts = ["This is a test.", "A man is eating food.", "The girl is carrying a baby.", "A man is eating a piece of bread.", "Hello."];
        var chunked = new InferenceServiceEmbeddingGenerator(service.Http, new InferenceServiceEmbeddingOptions { MaxBatchSize = 2 });

        var result = await chunked.GenerateAsync(texts);
        var alone = new List<Embedding<float>>();
        foreach (var text in texts)
        {
            alone.Add(Assert.Single(await _generator.GenerateAsync([text])));
        }

        Assert.Equal(texts.Length, result.Count);
        Assert.All(Enumerable.Range(0, texts.Length), i => Assert.True(MiniLm.Cosine(result[i].Vector.Span, alone[i].Vector.Span) > 0.99999f, $"text {i} out of place"));
        Assert.Equal(alone.Sum(e => (int)e.AdditionalProperties!["tokens"]!), result.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task GenerateAsync_OverTheRouteLimitOrAnotherModel_Refused()
    {
        var unchunked = new InferenceServiceEmbeddingGenerator(service.Http, new InferenceServiceEmbeddingOptions { MaxBatchSize = 64 });

        var tooMany = await Assert.ThrowsAsync<InferenceServiceException>(() => unchunked.GenerateAsync(Enumerable.Repeat("hello", 33)));
        await Assert.ThrowsAsync<NotSupportedException>(() => _generator.GenerateAsync(["hello"], new EmbeddingGenerationOptions { ModelId = "other" }));

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("the limit is 32 per request", tooMany.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetService_Metadata_NamesProviderModelAndDimensions()
    {
        var metadata = _generator.GetService<EmbeddingGeneratorMetadata>()!;

        Assert.Equal(("inference-service", "minilm", 384), (metadata.ProviderName, metadata.DefaultModelId, metadata.DefaultModelDimensions));
        Assert.Equal(service.Http.BaseAddress, metadata.ProviderUri);
        Assert.Same(_generator, _generator.GetService<InferenceServiceEmbeddingGenerator>());
    }

    [Fact]
    public async Task AddInferenceServiceEmbeddings_Resolved_GeneratesAsTheRoute()
    {
        var services = new ServiceCollection();
        services.AddInferenceServiceEmbeddings(service.Server.BaseAddress).ConfigurePrimaryHttpMessageHandler(() => service.Server.CreateHandler());
        services.AddInferenceClient(service.Server.BaseAddress).ConfigurePrimaryHttpMessageHandler(() => service.Server.CreateHandler());
        await using var provider = services.BuildServiceProvider();

        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var fromDi = await generator.GenerateAsync(["This is a test."]);
        var direct = await _generator.GenerateAsync(["This is a test."]);
        var client = provider.GetRequiredService<InferenceClient>();

        Assert.Same(generator, provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Equal(direct[0].Vector.ToArray(), fromDi[0].Vector.ToArray());
        Assert.Equal("inference-service", (await client.GetServerMetadataAsync()).Name);
    }
}

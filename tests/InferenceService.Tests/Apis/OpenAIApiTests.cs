using System.ClientModel;
using System.Net;
using System.Text.Json;
using InferenceService.Runtime.Pipelines;
using Microsoft.Extensions.AI;
using AIGenerationOptions = Microsoft.Extensions.AI.EmbeddingGenerationOptions;
using OpenAI;
using OpenAI.Embeddings;
using SdkGenerationOptions = OpenAI.Embeddings.EmbeddingGenerationOptions;
using static InferenceService.Tests.Apis.TaskHttp;

namespace InferenceService.Tests.Apis;

/// <summary>/v1/embeddings and /v1/models through OpenAI's .NET SDK and Microsoft.Extensions.AI, against the real MiniLM.</summary>
[Collection(ServiceCollection.Name)]
public sealed class OpenAIApiTests(ServiceFixture fixture)
{
    /// <summary>"This is a test." through /v1/text/embeddings (see TextApiTests).</summary>
    private static readonly float[] KnownStart = [0.033591f, 0.010513f, -0.017500f, 0.029352f, -0.009420f];

    private readonly OpenAIClient _openai = OpenAIClients.For(fixture);

    [Fact]
    public async Task GenerateEmbedding_KnownSentence_EqualsTheTextEmbeddingsRoute()
    {
        var embedding = (await _openai.GetEmbeddingClient("minilm").GenerateEmbeddingAsync("This is a test.")).Value.ToFloats().ToArray();

        var text = await ReadOkAsync(await PostJsonAsync(fixture.Client, "/v1/text/embeddings", """{ "texts": ["This is a test."] }"""));
        Assert.Equal(Floats(text.GetProperty("data")[0].GetProperty("embedding")), embedding);
        Assert.Equal(384, embedding.Length);
        for (var i = 0; i < KnownStart.Length; i++)
        {
            Assert.Equal(KnownStart[i], embedding[i], 5);
        }
    }

    [Fact]
    public async Task GenerateEmbeddings_Batch_KeepsTheOrderOfTheInputs()
    {
        string[] texts = ["A man is eating food.", "The girl is carrying a baby.", "A man is eating a piece of bread."];

        var result = (await _openai.GetEmbeddingClient("minilm").GenerateEmbeddingsAsync(texts)).Value;

        Assert.Equal([0, 1, 2], result.Select(e => e.Index));
        var vectors = result.Select(e => e.ToFloats().ToArray()).ToList();
        Assert.Equal(0.7553f, VectorMath.Cosine(vectors[0], vectors[2]), 4);
        Assert.Equal(-0.1050f, VectorMath.Cosine(vectors[0], vectors[1]), 4);
        var alone = (await _openai.GetEmbeddingClient("minilm").GenerateEmbeddingAsync(texts[1])).Value.ToFloats().ToArray();
        Assert.True(VectorMath.Cosine(alone, vectors[1]) > 0.99999f, "the second text's embedding changed in a batch");
    }

    [Fact]
    public async Task GenerateEmbeddings_Usage_CountsTokensWithClsAndSep()
    {
        var single = (await _openai.GetEmbeddingClient("minilm").GenerateEmbeddingsAsync(["This is a test."])).Value;
        var two = (await _openai.GetEmbeddingClient("minilm").GenerateEmbeddingsAsync(["This is a test.", "This is a test."])).Value;

        Assert.Equal(7, single.Usage.InputTokenCount);
        Assert.Equal(7, single.Usage.TotalTokenCount);
        Assert.Equal(14, two.Usage.InputTokenCount);
        Assert.Equal("minilm", single.Model);
    }

    [Fact]
    public async Task GenerateEmbedding_Dimensions_KeepsTheFirstValuesRenormalised()
    {
        var client = _openai.GetEmbeddingClient("minilm");
        var full = (await client.GenerateEmbeddingAsync("This is a test.")).Value.ToFloats().ToArray();

        var shortened = (await client.GenerateEmbeddingAsync("This is a test.", new SdkGenerationOptions { Dimensions = 64 })).Value.ToFloats().ToArray();

        Assert.Equal(64, shortened.Length);
        Assert.Equal(1, Norm(shortened), 5);
        var scale = 1 / Norm(full[..64]);
        for (var i = 0; i < 64; i++)
        {
            Assert.Equal(full[i] * scale, shortened[i], 5);
        }
    }

    [Fact]
    public async Task Embeddings_Base64_IsTheLittleEndianFloat32BytesOfTheFloats()
    {
        var floats = await ReadOkAsync(await PostJsonAsync(fixture.Client, "/v1/embeddings", """{ "model": "minilm", "input": "This is a test.", "encoding_format": "float" }"""));
        var base64 = await ReadOkAsync(await PostJsonAsync(fixture.Client, "/v1/embeddings", """{ "model": "minilm", "input": "This is a test.", "encoding_format": "base64" }"""));

        var bytes = Convert.FromBase64String(base64.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var decoded = Enumerable.Range(0, bytes.Length / 4).Select(i => System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))).ToArray();
        Assert.Equal(Floats(floats.GetProperty("data")[0].GetProperty("embedding")), decoded);
    }

    [Fact]
    public async Task Embeddings_Response_HasOpenAIsShape()
    {
        var body = await ReadOkAsync(await PostJsonAsync(fixture.Client, "/v1/embeddings", """{ "model": "minilm", "input": ["a", "b"], "user": "ignored" }"""));

        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal("minilm", body.GetProperty("model").GetString());
        Assert.Equal("embedding", body.GetProperty("data")[1].GetProperty("object").GetString());
        Assert.Equal(1, body.GetProperty("data")[1].GetProperty("index").GetInt32());
        Assert.Equal(6, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(6, body.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task GenerateEmbeddings_TokenIds_AreTakenAsGivenAndEqualTheText()
    {
        var client = _openai.GetEmbeddingClient("minilm");
        ReadOnlyMemory<int> ids = new[] { 101, 2023, 2003, 1037, 3231, 1012, 102 };

        var fromIds = (await client.GenerateEmbeddingsAsync([ids])).Value;
        var fromText = (await client.GenerateEmbeddingAsync("This is a test.")).Value.ToFloats().ToArray();

        Assert.Equal(fromText, fromIds[0].ToFloats().ToArray());
        Assert.Equal(7, fromIds.Usage.InputTokenCount);
    }

    [Fact]
    public async Task Embeddings_TokenIdsWithoutClsAndSep_AreNotFramed()
    {
        var body = await ReadOkAsync(await PostJsonAsync(fixture.Client, "/v1/embeddings", """{ "model": "minilm", "input": [[2023, 2003, 1037, 3231, 1012]] }"""));

        Assert.Equal(5, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task GetModels_ListsTheTextEmbeddersAsOpenAIModels()
    {
        var models = (await _openai.GetOpenAIModelClient().GetModelsAsync()).Value;

        var minilm = Assert.Single(models);
        Assert.Equal("minilm", minilm.Id);
        Assert.Equal("inference-service", minilm.OwnedBy);
        Assert.True(minilm.CreatedAt > DateTimeOffset.UnixEpoch);
        Assert.Equal("minilm", (await _openai.GetOpenAIModelClient().GetModelAsync("minilm")).Value.Id);
    }

    [Fact]
    public async Task GenerateEmbedding_UnknownModel_SdkSurfacesOpenAIs404()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => _openai.GetEmbeddingClient("text-embedding-3-small").GenerateEmbeddingAsync("hello"));

        Assert.Equal(404, error.Status);
        Assert.Contains("model_not_found", error.Message, StringComparison.Ordinal);
        Assert.Contains("available: minilm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetModel_ImageModel_Returns404ModelNotFound()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => _openai.GetOpenAIModelClient().GetModelAsync("resnet18"));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task EmbeddingGenerator_MicrosoftExtensionsAI_GivesTheSameVectors()
    {
        IEmbeddingGenerator<string, Embedding<float>> generator = _openai.GetEmbeddingClient("minilm").AsIEmbeddingGenerator();

        var generated = await generator.GenerateAsync(["This is a test.", "A man is eating food."]);
        var shortened = await generator.GenerateAsync(["This is a test."], new AIGenerationOptions { Dimensions = 32 });

        var sdk = (await _openai.GetEmbeddingClient("minilm").GenerateEmbeddingsAsync(["This is a test.", "A man is eating food."])).Value;
        Assert.Equal(sdk[0].ToFloats().ToArray(), generated[0].Vector.ToArray());
        Assert.Equal(sdk[1].ToFloats().ToArray(), generated[1].Vector.ToArray());
        Assert.Equal(32, shortened[0].Vector.Length);
        Assert.Equal(sdk.Usage.InputTokenCount, generated.Usage?.InputTokenCount);
    }

    [Theory]
    [InlineData("""{ "input": "hello" }""", "model")]
    [InlineData("""{ "model": "minilm" }""", "input")]
    [InlineData("""{ "model": "minilm", "input": [] }""", "input")]
    [InlineData("""{ "model": "minilm", "input": "" }""", "input")]
    [InlineData("""{ "model": "minilm", "input": [[101, 30522, 102]] }""", "input[1]")]
    [InlineData("""{ "model": "minilm", "input": [1.5] }""", "input[0]")]
    [InlineData("""{ "model": "minilm", "input": "hello", "dimensions": 385 }""", "dimensions")]
    [InlineData("""{ "model": "minilm", "input": "hello", "encoding_format": "int8" }""", "encoding_format")]
    public async Task Embeddings_BadRequest_Returns400InOpenAIsShapeNamingTheParam(string json, string param)
    {
        var error = await ReadOpenAIErrorAsync(await PostJsonAsync(fixture.Client, "/v1/embeddings", json), HttpStatusCode.BadRequest);

        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Embeddings_TokenIdsOverMaxTokens_Returns400StatingTheLimit()
    {
        var json = JsonSerializer.Serialize(new { model = "minilm", input = Enumerable.Repeat(2023, 300) });

        var error = await ReadOpenAIErrorAsync(await PostJsonAsync(fixture.Client, "/v1/embeddings", json), HttpStatusCode.BadRequest);

        Assert.Contains("the limit is 256", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_LongText_IsTruncatedToMaxTokens()
    {
        var json = JsonSerializer.Serialize(new { model = "minilm", input = string.Join(' ', Enumerable.Repeat("word", 400)) });

        var body = await ReadOkAsync(await PostJsonAsync(fixture.Client, "/v1/embeddings", json));

        Assert.Equal(256, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Embeddings_BodyOverTheByteLimit_Returns413InOpenAIsShape()
    {
        var json = JsonSerializer.Serialize(new { model = "minilm", input = new string('x', (1024 * 1024) + 10) });

        var error = await ReadOpenAIErrorAsync(await PostJsonAsync(fixture.Client, "/v1/embeddings", json), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("limit of 1048576 bytes", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_WrongMethod_Returns405InOpenAIsShape()
    {
        var error = await ReadOpenAIErrorAsync(await fixture.Client.DeleteAsync("/v1/models/minilm"), HttpStatusCode.MethodNotAllowed);

        Assert.StartsWith("DELETE is not allowed on /v1/models/minilm", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Asserts OpenAI's error body, <c>{"error": {"message", "type", "param", "code"}}</c>, and returns its error object.</summary>
    internal static async Task<JsonElement> ReadOpenAIErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error").Clone();
        Assert.Equal(["message", "type", "param", "code"], error.EnumerateObject().Select(p => p.Name));
        return error;
    }
}

using System.Net;
using System.Text.Json;
using InferenceService.Runtime.Pipelines;
using static InferenceService.Tests.Apis.TaskHttp;

namespace InferenceService.Tests.Apis;

/// <summary>The TEI-compatible routes over the real MiniLM (Tei:Model defaults to minilm), with TEI's request and answer shapes.</summary>
[Collection(ServiceCollection.Name)]
public sealed class TeiApiTests(ServiceFixture fixture)
{
    private const string Eating = """{ "query": "A man is eating food.", "texts": ["The girl is carrying a baby.", "A man is eating a piece of bread."], "return_text": true }""";

    private readonly HttpClient _client = fixture.Client;

    [Theory]
    [InlineData("/embed")]
    [InlineData("/")]
    public async Task Embed_KnownSentence_ReturnsTheTextEmbeddingsRoutesVector(string path)
    {
        var body = await ReadOkAsync(await PostJsonAsync(_client, path, """{ "inputs": "This is a test." }"""));

        var text = await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/embeddings", """{ "texts": ["This is a test."] }"""));
        Assert.Equal(1, body.GetArrayLength());
        Assert.Equal(Floats(text.GetProperty("data")[0].GetProperty("embedding")), Floats(body[0]));
    }

    [Fact]
    public async Task Embed_NormalizeFalse_ReturnsTheMeanPoolBeforeL2Normalisation()
    {
        var raw = Floats((await ReadOkAsync(await PostJsonAsync(_client, "/embed", """{ "inputs": ["This is a test."], "normalize": false }""")))[0]);
        var unit = Floats((await ReadOkAsync(await PostJsonAsync(_client, "/embed", """{ "inputs": ["This is a test."] }""")))[0]);

        Assert.NotEqual(1, Norm(raw), 2);
        var scale = 1 / Norm(raw);
        for (var i = 0; i < raw.Length; i++)
        {
            Assert.Equal(unit[i], raw[i] * scale, 5);
        }
    }

    [Fact]
    public async Task Embed_MoreInputsThanTheModelsBatch_SplitsAndKeepsTheOrder()
    {
        // minilm's max_batch_size is 64: 70 inputs go to the model as two batches.
        var texts = Enumerable.Range(0, 70).Select(i => i == 65 ? "This is a test." : $"sentence number {i}").ToArray();

        var body = await ReadOkAsync(await PostJsonAsync(_client, "/embed", JsonSerializer.Serialize(new { inputs = texts })));

        var alone = Floats((await ReadOkAsync(await PostJsonAsync(_client, "/embed", """{ "inputs": "This is a test." }""")))[0]);
        Assert.Equal(70, body.GetArrayLength());
        Assert.True(VectorMath.Cosine(alone, Floats(body[65])) > 0.99999f, "input 65 is not its own embedding");
    }

    [Fact]
    public async Task Embed_TokenIds_EqualTheText()
    {
        var ids = await ReadOkAsync(await PostJsonAsync(_client, "/embed", """{ "inputs": [101, 2023, 2003, 1037, 3231, 1012, 102] }"""));
        var text = await ReadOkAsync(await PostJsonAsync(_client, "/embed", """{ "inputs": "This is a test." }"""));

        Assert.Equal(Floats(text[0]), Floats(ids[0]));
    }

    [Fact]
    public async Task Similarity_KnownSentences_ReturnsCosinesInOrder()
    {
        var body = await ReadOkAsync(await PostJsonAsync(_client, "/similarity",
            """{ "inputs": { "source_sentence": "A man is eating food.", "sentences": ["The girl is carrying a baby.", "A man is eating a piece of bread."] } }"""));

        Assert.Equal(-0.1050f, body[0].GetSingle(), 4);
        Assert.Equal(0.7553f, body[1].GetSingle(), 4);
    }

    [Fact]
    public async Task Rerank_KnownSentences_SortsByCosineAndReturnsTheTexts()
    {
        var body = await ReadOkAsync(await PostJsonAsync(_client, "/rerank", Eating));

        Assert.Equal(1, body[0].GetProperty("index").GetInt32());
        Assert.Equal("A man is eating a piece of bread.", body[0].GetProperty("text").GetString());
        Assert.Equal(0.7553f, body[0].GetProperty("score").GetSingle(), 4);
        Assert.Equal(0, body[1].GetProperty("index").GetInt32());
        Assert.Equal(-0.1050f, body[1].GetProperty("score").GetSingle(), 4);
    }

    [Fact]
    public async Task Rerank_WithoutReturnText_LeavesTheTextOut()
    {
        var body = await ReadOkAsync(await PostJsonAsync(_client, "/rerank", """{ "query": "What is Deep Learning?", "texts": ["Deep Learning is not...", "Deep learning is..."] }"""));

        Assert.Equal(["index", "score"], body[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Tokenize_KnownSentence_ReturnsTeisTokens()
    {
        var body = await ReadOkAsync(await PostJsonAsync(_client, "/tokenize", """{ "inputs": "This is a test." }"""));

        var tokens = body[0];
        Assert.Equal([101, 2023, 2003, 1037, 3231, 1012, 102], tokens.EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
        Assert.Equal("""{"id":2023,"text":"This","special":false,"start":0,"stop":4}""", tokens[1].GetRawText());
        Assert.Equal("""{"id":101,"text":"[CLS]","special":true,"start":null,"stop":null}""", tokens[0].GetRawText());
    }

    [Fact]
    public async Task Tokenize_WithoutSpecialTokens_ReturnsOnlyTheTextsTokens()
    {
        var body = await ReadOkAsync(await PostJsonAsync(_client, "/tokenize", """{ "inputs": ["This is a test.", "Hi"], "add_special_tokens": false }"""));

        Assert.Equal(5, body[0].GetArrayLength());
        Assert.Equal("Hi", body[1][0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Info_DescribesTheModelItsLimitsAndTheRerankScore()
    {
        var info = await ReadOkAsync(await _client.GetAsync("/info"));

        Assert.Equal("minilm", info.GetProperty("model_id").GetString());
        Assert.Equal("mean", info.GetProperty("model_type").GetProperty("embedding").GetProperty("pooling").GetString());
        Assert.Equal(256, info.GetProperty("max_input_length").GetInt32());
        Assert.Equal(64, info.GetProperty("max_batch_requests").GetInt32());
        Assert.Equal(256 * 64, info.GetProperty("max_batch_tokens").GetInt32());
        Assert.Equal(256, info.GetProperty("max_client_batch_size").GetInt32());
        Assert.False(info.GetProperty("auto_truncate").GetBoolean());
        Assert.Contains("cosine", info.GetProperty("rerank_scores").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embed_TextOverMaxTokens_Returns413UnlessTruncateIsSet()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 400));

        var error = await ReadTeiErrorAsync(await PostJsonAsync(_client, "/embed", JsonSerializer.Serialize(new { inputs = text })), HttpStatusCode.RequestEntityTooLarge, "Validation");
        var truncated = await ReadOkAsync(await PostJsonAsync(_client, "/embed", JsonSerializer.Serialize(new { inputs = text, truncate = true })));

        Assert.Contains("has 402 tokens; the limit is 256", error, StringComparison.Ordinal);
        Assert.Equal(384, truncated[0].GetArrayLength());
    }

    [Fact]
    public async Task Embed_TruncateLeft_KeepsTheEndOfTheText()
    {
        var start = string.Join(' ', Enumerable.Repeat("alpha", 300));
        var left = await ReadOkAsync(await PostJsonAsync(_client, "/embed", JsonSerializer.Serialize(new { inputs = start + " This is a test.", truncate = true, truncation_direction = "Left" })));
        var right = await ReadOkAsync(await PostJsonAsync(_client, "/embed", JsonSerializer.Serialize(new { inputs = start + " This is a test.", truncate = true })));
        var alpha = await ReadOkAsync(await PostJsonAsync(_client, "/embed", JsonSerializer.Serialize(new { inputs = start, truncate = true })));

        Assert.Equal(Floats(alpha[0]), Floats(right[0]));
        Assert.NotEqual(Floats(alpha[0]), Floats(left[0]));
    }

    [Theory]
    [InlineData("/embed", """{ "inputs": [] }""")]
    [InlineData("/embed", """{ "inputs": "" }""")]
    [InlineData("/rerank", """{ "query": "q", "texts": [] }""")]
    [InlineData("/similarity", """{ "inputs": { "source_sentence": "q", "sentences": [] } }""")]
    [InlineData("/tokenize", """{ "inputs": [""] }""")]
    public async Task Route_EmptyInput_Returns400Empty(string path, string json)
    {
        await ReadTeiErrorAsync(await PostJsonAsync(_client, path, json), HttpStatusCode.BadRequest, "Empty");
    }

    [Theory]
    [InlineData("/embed", """{ "inputs": 42 }""")]
    [InlineData("/embed", """{ "truncate": true }""")]
    [InlineData("/embed", """{ "inputs": "hi", "truncation_direction": "middle" }""")]
    [InlineData("/embed", """{ "inputs": "hi", "prompt_name": "query" }""")]
    [InlineData("/embed", """{ "inputs": [[101, 99999, 102]] }""")]
    [InlineData("/embed", """{ "inputs": "unclosed """)]
    [InlineData("/rerank", """{ "texts": ["a"] }""")]
    [InlineData("/tokenize", """{ "inputs": [101, 102] }""")]
    public async Task Route_UnreadableInput_Returns422Validation(string path, string json)
    {
        await ReadTeiErrorAsync(await PostJsonAsync(_client, path, json), HttpStatusCode.UnprocessableEntity, "Validation");
    }

    [Fact]
    public async Task Embed_MoreInputsThanMaxClientBatchSize_Returns413Validation()
    {
        var json = JsonSerializer.Serialize(new { inputs = Enumerable.Repeat("a", 257) });

        var error = await ReadTeiErrorAsync(await PostJsonAsync(_client, "/embed", json), HttpStatusCode.RequestEntityTooLarge, "Validation");

        Assert.Contains("the limit is 256 per request (Tei:MaxClientBatchSize)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rerank_MoreTextsThanMaxClientBatchSize_Returns413Validation()
    {
        var json = JsonSerializer.Serialize(new { query = "q", texts = Enumerable.Repeat("a", 257) });

        var error = await ReadTeiErrorAsync(await PostJsonAsync(_client, "/rerank", json), HttpStatusCode.RequestEntityTooLarge, "Validation");

        Assert.StartsWith("batch size 257 > maximum allowed batch size 256", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embed_WrongMethod_Returns405InTeisShape()
    {
        await ReadTeiErrorAsync(await _client.GetAsync("/embed"), HttpStatusCode.MethodNotAllowed, "Validation");
    }

    [Fact]
    public async Task DemoPage_GetRoot_IsStillTheDemoPage()
    {
        var response = await _client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Asserts TEI's error body, <c>{"error": "...", "error_type": "..."}</c>, and returns the message.</summary>
    private static async Task<string> ReadTeiErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errorType)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var error = JsonDocument.Parse(text).RootElement;
        Assert.Equal(["error", "error_type"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal(errorType, error.GetProperty("error_type").GetString());
        return error.GetProperty("error").GetString()!;
    }
}

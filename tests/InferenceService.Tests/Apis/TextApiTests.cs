using System.Net;
using System.Text.Json;
using InferenceService.Runtime.Pipelines;
using static InferenceService.Tests.Apis.TaskHttp;

namespace InferenceService.Tests.Apis;

[Collection(ServiceCollection.Name)]
public sealed class TextApiTests(ServiceFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Embeddings_KnownSentence_ReturnsKnownValues()
    {
        var body = await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/embeddings", """{ "texts": ["This is a test."] }"""));

        var item = body.GetProperty("data")[0];
        var embedding = Floats(item.GetProperty("embedding"));
        Assert.Equal(384, embedding.Length);
        float[] expected = [0.033591f, 0.010513f, -0.017500f, 0.029352f, -0.009420f];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], embedding[i], 5);
        }

        Assert.Equal(1, Norm(embedding), 4);
        Assert.Equal(7, item.GetProperty("tokens").GetInt32());
        Assert.False(item.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Embeddings_EveryValue_IsTheShortestTextOfItsFloat()
    {
        var body = await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/embeddings", """{ "texts": ["This is a test.", "Another sentence, a little longer than the first one."] }"""));

        foreach (var item in body.GetProperty("data").EnumerateArray())
        {
            foreach (var value in item.GetProperty("embedding").EnumerateArray())
            {
                var text = value.GetRawText();
                Assert.Equal(value.GetSingle().ToString("R", System.Globalization.CultureInfo.InvariantCulture), text);
            }
        }
    }

    [Fact]
    public async Task Embeddings_TextsOfDifferentLengths_EachEqualsItsEmbeddingAlone()
    {
        var alone = await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/embeddings", """{ "texts": ["This is a test."] }"""));

        var padded = await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/embeddings", """{ "texts": ["A much longer sentence, so that the short one is padded with masked tokens.", "This is a test."] }"""));

        var cosine = VectorMath.Cosine(Floats(alone.GetProperty("data")[0].GetProperty("embedding")), Floats(padded.GetProperty("data")[1].GetProperty("embedding")));
        Assert.True(cosine > 0.99999f, $"cosine {cosine}: padding changed the embedding");
    }

    [Fact]
    public async Task Embeddings_SeveralTextsAcrossLengthBuckets_EachEqualsItsEmbeddingAloneInTheRequestsOrder()
    {
        // 7 to ~120 tokens: MiniLM's length buckets 16, 32, 64 and 128, so the texts run in different batches.
        string[] texts =
        [
            string.Join(' ', Enumerable.Repeat("Each text of a request goes to the batcher on its own.", 9)),
            "This is a test.",
            "A man is eating a piece of bread while the girl is carrying a baby down the road.",
            string.Join(' ', Enumerable.Repeat("The quick brown fox jumps over the lazy dog.", 4)),
            "Short.",
        ];

        var together = await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/embeddings", JsonSerializer.Serialize(new { texts })));

        var data = together.GetProperty("data");
        Assert.Equal(texts.Length, data.GetArrayLength());
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = (await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/embeddings", JsonSerializer.Serialize(new { texts = new[] { texts[i] } })))).GetProperty("data")[0];
            Assert.Equal(alone.GetProperty("tokens").GetInt32(), data[i].GetProperty("tokens").GetInt32());
            var expected = Floats(alone.GetProperty("embedding"));
            var actual = Floats(data[i].GetProperty("embedding"));
            var difference = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(difference <= 1e-5f, $"text {i}: differs by {difference} from its embedding alone");
        }
    }

    [Fact]
    public async Task Similarity_KnownSentences_ReturnsKnownCosinesSortedDescending()
    {
        var body = await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/similarity",
            """{ "query": "A man is eating food.", "candidates": ["The girl is carrying a baby.", "A man is eating a piece of bread."] }"""));

        var results = body.GetProperty("results");
        Assert.Equal(1, results[0].GetProperty("index").GetInt32());
        Assert.Equal("A man is eating a piece of bread.", results[0].GetProperty("text").GetString());
        Assert.Equal(0.7553f, results[0].GetProperty("cosine").GetSingle(), 4);
        Assert.Equal(0, results[1].GetProperty("index").GetInt32());
        Assert.Equal(-0.1050f, results[1].GetProperty("cosine").GetSingle(), 4);
    }

    [Fact]
    public async Task Embeddings_TextLongerThanMaxTokens_IsTruncatedAndSaysSo()
    {
        var longText = string.Join(' ', Enumerable.Repeat("word", 400));

        var body = await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/embeddings", JsonSerializer.Serialize(new { texts = new[] { longText } })));

        var item = body.GetProperty("data")[0];
        Assert.True(item.GetProperty("truncated").GetBoolean());
        Assert.Equal(256, item.GetProperty("tokens").GetInt32());
    }

    [Fact]
    public async Task Embeddings_MoreTextsThanTheLimit_Returns400StatingTheLimit()
    {
        var json = JsonSerializer.Serialize(new { texts = Enumerable.Repeat("hello", 33) });

        var detail = await ReadProblemAsync(await PostJsonAsync(_client, "/v1/text/embeddings", json), HttpStatusCode.BadRequest);

        Assert.Contains("the limit is 32 per request", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Similarity_CandidateOverTheCharacterLimit_Returns400NamingTheCandidate()
    {
        var json = JsonSerializer.Serialize(new { query = "q", candidates = new[] { "fine", new string('x', 10_001) } });

        var detail = await ReadProblemAsync(await PostJsonAsync(_client, "/v1/text/similarity", json), HttpStatusCode.BadRequest);

        Assert.Contains("'candidates[1]' has 10001 characters; the limit is 10000", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_EmptyList_Returns400()
    {
        var detail = await ReadProblemAsync(await PostJsonAsync(_client, "/v1/text/embeddings", """{ "texts": [] }"""), HttpStatusCode.BadRequest);

        Assert.Contains("non-empty list", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_MalformedJson_Returns400()
    {
        var detail = await ReadProblemAsync(await PostJsonAsync(_client, "/v1/text/embeddings", """{ "texts": ["unclosed" """), HttpStatusCode.BadRequest);

        Assert.Contains("not valid JSON", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_BodyOverTheByteLimit_Returns413StatingTheLimit()
    {
        var json = JsonSerializer.Serialize(new { texts = new[] { new string('x', (1024 * 1024) + 10) } });

        var detail = await ReadProblemAsync(await PostJsonAsync(_client, "/v1/text/embeddings", json), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("limit of 1048576 bytes", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Classify_ModelThatIsNotATextClassifier_Returns404()
    {
        var detail = await ReadProblemAsync(await PostJsonAsync(_client, "/v1/text/classify/minilm", """{ "text": "hello" }"""), HttpStatusCode.NotFound);

        Assert.Contains("no pipeline of kind 'text-classifier'", detail, StringComparison.Ordinal);
    }
}

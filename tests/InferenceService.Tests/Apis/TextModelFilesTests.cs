using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using InferenceService.Runtime.Pipelines;
using static InferenceService.Tests.Apis.TaskHttp;

namespace InferenceService.Tests.Apis;

/// <summary>
/// Text models as files: MiniLM's model.onnx and its vocabulary under another name, described by a few lines of
/// pipeline, answer MiniLM's known values on /v1/text and OpenAI's routes; cls and last-token pooling without
/// normalisation give exactly the rows of the model's own last_hidden_state (read through V2); prefixes are applied
/// for input_type.
/// </summary>
public sealed class TextModelFilesTests(TextModelFilesFixture fixture) : IClassFixture<TextModelFilesFixture>
{
    private static readonly int[] TestIds = [101, 2023, 2003, 1037, 3231, 1012, 102];

    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Similarity_RenamedMiniLmFiles_AnswerMiniLmsKnownCosines()
    {
        var body = await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/similarity/encoder",
            """{ "query": "A man is eating food.", "candidates": ["The girl is carrying a baby.", "A man is eating a piece of bread."] }"""));

        Assert.Equal("encoder", body.GetProperty("model").GetString());
        Assert.Equal(0.7553f, body.GetProperty("results")[0].GetProperty("cosine").GetSingle(), 4);
        Assert.Equal(-0.1050f, body.GetProperty("results")[1].GetProperty("cosine").GetSingle(), 4);
    }

    [Fact]
    public async Task Embeddings_RenamedMiniLmFiles_AnswerMiniLmsKnownValues()
    {
        var body = await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/embeddings/encoder", """{ "texts": ["This is a test."] }"""));

        var embedding = Floats(body.GetProperty("data")[0].GetProperty("embedding"));
        float[] expected = [0.033591f, 0.010513f, -0.017500f, 0.029352f, -0.009420f];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], embedding[i], 5);
        }

        Assert.Equal(1, Norm(embedding), 4);
    }

    [Fact]
    public async Task OpenAIEmbeddings_RenamedMiniLmFiles_AreListedAndAnswerTheKnownCosine()
    {
        var models = JsonNode.Parse(await _client.GetStringAsync("/v1/models"))!["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>());
        var body = await ReadOkAsync(await PostJsonAsync(_client, "/v1/embeddings",
            """{ "model": "encoder", "input": ["A man is eating food.", "A man is eating a piece of bread."] }"""));

        Assert.Contains("encoder", models);
        var data = body.GetProperty("data");
        Assert.Equal(0.7553f, VectorMath.Cosine(Floats(data[0].GetProperty("embedding")), Floats(data[1].GetProperty("embedding"))), 4);
    }

    [Theory]
    [InlineData("cls-raw", 0)]
    [InlineData("last-raw", 6)]
    public async Task Embeddings_ClsOrLastTokenPoolingUnnormalised_AreThatRowOfTheRawHiddenStates(string model, int row)
    {
        var states = await HiddenStatesAsync(model, TestIds);

        var body = await ReadOkAsync(await PostJsonAsync(_client, $"/v1/text/embeddings/{model}", """{ "texts": ["This is a test."] }"""));

        var embedding = Floats(body.GetProperty("data")[0].GetProperty("embedding"));
        Assert.Equal(7, body.GetProperty("data")[0].GetProperty("tokens").GetInt32());
        Assert.Equal(states.Skip(row * 384).Take(384), embedding, (a, b) => Math.Abs(a - b) < 1e-5f);
        Assert.True(Math.Abs(Norm(embedding) - 1) > 0.01, $"norm {Norm(embedding)}: normalize false must leave the row as it is");
    }

    [Fact]
    public async Task Embeddings_InputTypeQuery_EmbedTheTextAfterTheQueryPrefix()
    {
        var typed = await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/embeddings/cls-raw", """{ "texts": ["This is a test."], "input_type": "query" }"""));
        var prefixed = await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/embeddings/cls-raw", """{ "texts": ["query: This is a test."] }"""));
        var plain = await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/embeddings/cls-raw", """{ "texts": ["This is a test."] }"""));

        Assert.Equal(Floats(prefixed.GetProperty("data")[0].GetProperty("embedding")), Floats(typed.GetProperty("data")[0].GetProperty("embedding")));
        Assert.Equal(prefixed.GetProperty("data")[0].GetProperty("tokens").GetInt32(), typed.GetProperty("data")[0].GetProperty("tokens").GetInt32());
        Assert.NotEqual(Floats(plain.GetProperty("data")[0].GetProperty("embedding")), Floats(typed.GetProperty("data")[0].GetProperty("embedding")));
    }

    [Fact]
    public async Task OpenAIEmbeddings_InputTypePassage_EmbedTheTextAfterThePassagePrefix()
    {
        var typed = await ReadOkAsync(await PostJsonAsync(_client, "/v1/embeddings", """{ "model": "cls-raw", "input": "This is a test.", "input_type": "passage" }"""));
        var prefixed = await ReadOkAsync(await PostJsonAsync(_client, "/v1/embeddings", """{ "model": "cls-raw", "input": "passage: This is a test." }"""));

        Assert.Equal(Floats(prefixed.GetProperty("data")[0].GetProperty("embedding")), Floats(typed.GetProperty("data")[0].GetProperty("embedding")));
    }

    [Fact]
    public async Task TeiEmbed_PromptNameQuery_EmbedsAfterTheQueryPrefixWithoutNormalising()
    {
        var typed = await ReadOkAsync(await PostJsonAsync(_client, "/embed", """{ "inputs": "This is a test.", "prompt_name": "query" }"""));
        var prefixed = await ReadOkAsync(await PostJsonAsync(_client, "/embed", """{ "inputs": "query: This is a test." }"""));
        var info = await ReadOkAsync(await _client.GetAsync("/info"));

        Assert.Equal(Floats(prefixed[0]), Floats(typed[0]));
        Assert.True(Math.Abs(Norm(Floats(typed[0])) - 1) > 0.01, "pipeline.normalize false is TEI's default for this model");
        Assert.Equal("cls", info.GetProperty("model_type").GetProperty("embedding").GetProperty("pooling").GetString());
    }

    [Fact]
    public async Task TeiEmbed_PromptTheModelHasNot_Is422ListingItsPrompts()
    {
        var response = await PostJsonAsync(_client, "/embed", """{ "inputs": "x", "prompt_name": "document" }""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("has only the prompts query, passage", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_UnknownInputType_IsA400NamingTheField()
    {
        var response = await PostJsonAsync(_client, "/v1/text/embeddings/cls-raw", """{ "texts": ["x"], "input_type": "document" }""");

        var detail = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("'input_type' must be \"query\" or \"passage\"", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_ModelThatIsNotATextEmbedder_IsA404()
    {
        var response = await PostJsonAsync(_client, "/v1/text/embeddings/nope", """{ "texts": ["x"] }""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>The model's raw last_hidden_state for one text's ids, through V2: [ids.Length × 384] values.</summary>
    private async Task<float[]> HiddenStatesAsync(string model, int[] ids)
    {
        var tensor = (string name, int[] values) => new { name, datatype = "INT64", shape = new[] { 1, values.Length }, data = values };
        var request = new
        {
            inputs = new[] { tensor("input_ids", ids), tensor("attention_mask", [.. ids.Select(_ => 1)]), tensor("token_type_ids", new int[ids.Length]) },
            outputs = new[] { new { name = "last_hidden_state" } },
        };
        using var response = await _client.PostAsync($"/v2/models/{model}/infer", new StringContent(JsonSerializer.Serialize(request), System.Text.Encoding.UTF8, "application/json"));
        var body = await ReadOkAsync(response);
        return Floats(body.GetProperty("outputs")[0].GetProperty("data"));
    }
}

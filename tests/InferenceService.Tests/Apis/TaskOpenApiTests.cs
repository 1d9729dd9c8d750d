using System.Text.Json;

namespace InferenceService.Tests.Apis;

[Collection(ServiceCollection.Name)]
public sealed class TaskOpenApiTests(ServiceFixture fixture)
{
    [Theory]
    [InlineData("/v1/vision/embeddings", "post", "VisionEmbeddings")]
    [InlineData("/v1/vision/similarity", "post", "VisionSimilarity")]
    [InlineData("/v1/vision/classify/{model}", "post", "VisionClassify")]
    [InlineData("/v1/text/embeddings", "post", "TextEmbeddings")]
    [InlineData("/v1/text/similarity", "post", "TextSimilarity")]
    [InlineData("/v1/text/classify/{model}", "post", "TextClassify")]
    [InlineData("/v1/recommendations/{model}/users/{userId}", "get", "RecommendationsForUser")]
    [InlineData("/v1/recommendations/{model}/items/{itemId}/similar", "get", "RecommendationsSimilarItems")]
    public async Task OpenApiDocument_TaskOperation_HasNameSummaryTagAndExampleAnswer(string path, string method, string operationId)
    {
        var document = JsonDocument.Parse(await fixture.Client.GetStringAsync("/openapi/v1.json")).RootElement;

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        Assert.Equal(operationId, operation.GetProperty("operationId").GetString());
        Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()));
        Assert.Single(operation.GetProperty("tags").EnumerateArray());
        Assert.True(operation.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _));
    }

    [Theory]
    [InlineData("/v1/vision/embeddings", "image/jpeg")]
    [InlineData("/v1/vision/similarity", "multipart/form-data")]
    [InlineData("/v1/text/similarity", "application/json")]
    public async Task OpenApiDocument_TaskPost_DescribesItsRequestBody(string path, string contentType)
    {
        var document = JsonDocument.Parse(await fixture.Client.GetStringAsync("/openapi/v1.json")).RootElement;

        var content = document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody").GetProperty("content");

        Assert.True(content.TryGetProperty(contentType, out _), $"{path} does not accept {contentType}: {content}");
    }

    private const string FloatSchema = """{"pattern":"^-?(?:0|[1-9]\\d*)(?:\\.\\d\u002B)?(?:[eE][\u002B-]?\\d\u002B)?$","type":["number","string"],"format":"float"}""";

    /// <summary>float[] has its own converter (ShortestFloatArrayConverter); the document still says what it was before: arrays of floats.</summary>
    [Theory]
    [InlineData("TextEmbeddingItem", "embedding", 1)]
    [InlineData("VisionEmbeddingsResponse", "embeddings", 2)]
    public async Task OpenApiDocument_Embeddings_AreArraysOfFloats(string schemaName, string property, int depth)
    {
        var document = JsonDocument.Parse(await fixture.Client.GetStringAsync("/openapi/v1.json")).RootElement;

        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty(schemaName).GetProperty("properties").GetProperty(property);

        var expected = FloatSchema;
        for (var level = 0; level < depth; level++)
        {
            expected = $$"""{"type":"array","items":{{expected}}}""";
        }

        var actual = JsonSerializer.Serialize(schema);
        Assert.True(expected == actual, $"expected {expected}, got {actual}");
    }

    [Fact]
    public async Task OpenApiDocument_KParameter_IsAnIntegerWithExample()
    {
        var document = JsonDocument.Parse(await fixture.Client.GetStringAsync("/openapi/v1.json")).RootElement;

        var k = document.GetProperty("paths").GetProperty("/v1/vision/classify/{model}").GetProperty("post").GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "k");

        Assert.Equal("integer", k.GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal(3, k.GetProperty("example").GetInt32());
    }
}

using System.Text.Json;
using InferenceService.Apis;
using InferenceService.Hosting;

namespace InferenceService.Tests.Hosting;

public sealed class ShortestFloatArrayConverterTests
{
    private static readonly JsonSerializerOptions Plain = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly JsonSerializerOptions Converted = new(Plain) { Converters = { new ShortestFloatArrayConverter() } };

    [Fact]
    public void Serialize_Embeddings_SameTextAsSystemTextJson()
    {
        var random = new Random(5);
        var vector = Enumerable.Range(0, 1000).Select(i => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-40, 39)))).Append(-0f).Append(0f).ToArray();
        var response = new TextEmbeddingsResponse("minilm", vector.Length, [new TextEmbeddingItem(0, vector, 3, false), new TextEmbeddingItem(1, [], 2, true)]);

        Assert.Equal(JsonSerializer.Serialize(response, Plain), JsonSerializer.Serialize(response, Converted));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Serialize_NonFiniteValue_RefusedAsBySystemTextJson(float value)
    {
        var item = new TextEmbeddingItem(0, [1f, value], 1, false);

        Assert.Throws<ArgumentException>(() => JsonSerializer.Serialize(item, Plain));
        Assert.Throws<ArgumentException>(() => JsonSerializer.Serialize(item, Converted));
    }

    [Fact]
    public void Deserialize_Array_AsSystemTextJson()
    {
        var read = JsonSerializer.Deserialize<float[]>("[1.5, \"2\", -0.25]", Converted);

        Assert.Equal(JsonSerializer.Deserialize<float[]>("[1.5, \"2\", -0.25]", Plain), read);
    }
}

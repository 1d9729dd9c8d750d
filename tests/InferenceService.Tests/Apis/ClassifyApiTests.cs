using System.Net;
using System.Text.Json;
using InferenceService.Tests.Pipelines;
using SkiaSharp;
using static InferenceService.Tests.Apis.TaskHttp;

namespace InferenceService.Tests.Apis;

/// <summary>/v1/vision/classify and /v1/text/classify on the generated "digits" and "spamhead" models, whose answers are worked out by hand.</summary>
[Collection(TaskModelsCollection.Name)]
public sealed class ClassifyApiTests(TaskModelsFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task VisionClassify_WhiteImage_ReturnsClassZeroWithSoftmaxProbability()
    {
        var white = TestImages.Solid(255, 28, 28);

        var body = await ReadOkAsync(await PostRawAsync(_client, "/v1/vision/classify/digits?k=3", white, "image/png"));

        // Normalised pixels are all (1 - 0.5) / 0.5 = 1, so logits are [10, 2, 0 x 8].
        var denominator = Math.Exp(10) + Math.Exp(2) + 8;
        var predictions = body.GetProperty("predictions");
        Assert.Equal(3, predictions.GetArrayLength());
        Assert.Equal("zero", predictions[0].GetProperty("label").GetString());
        Assert.Equal(Math.Exp(10) / denominator, predictions[0].GetProperty("probability").GetDouble(), 5);
        Assert.Equal("one", predictions[1].GetProperty("label").GetString());
        Assert.Equal(Math.Exp(2) / denominator, predictions[1].GetProperty("probability").GetDouble(), 5);
        Assert.Equal(2, predictions[2].GetProperty("index").GetInt32());
    }

    [Fact]
    public async Task VisionClassify_LargeBlackJpegAsMultipart_IsResizedAndNormalisedFromConfig()
    {
        using var black = new SKBitmap(300, 200);
        black.Erase(SKColors.Black);
        var jpeg = TestImages.Encode(black, SKEncodedImageFormat.Jpeg);

        var body = await ReadOkAsync(await PostFilesAsync(_client, "/v1/vision/classify/digits", (jpeg, "black.jpg", "image/jpeg")));

        // Normalised pixels are (0 - 0.5) / 0.5 = -1, so logits are [-10, 2, 0 x 8].
        var top = body.GetProperty("predictions")[0];
        Assert.Equal("one", top.GetProperty("label").GetString());
        Assert.Equal(Math.Exp(2) / (Math.Exp(-10) + Math.Exp(2) + 8), top.GetProperty("probability").GetDouble(), 5);
        Assert.Equal(5, body.GetProperty("predictions").GetArrayLength());
    }

    [Fact]
    public async Task VisionClassify_KAboveTheLimit_Returns400StatingTheLimit()
    {
        var detail = await ReadProblemAsync(await PostRawAsync(_client, "/v1/vision/classify/digits?k=101", TestImages.Solid(0, 28, 28), "image/png"), HttpStatusCode.BadRequest);

        Assert.Contains("k must be 1 to 100", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VisionClassify_UnknownModel_Returns404ListingImageClassifiers()
    {
        var detail = await ReadProblemAsync(await PostRawAsync(_client, "/v1/vision/classify/nope", TestImages.Solid(0, 28, 28), "image/png"), HttpStatusCode.NotFound);

        Assert.Contains("Unknown model 'nope'", detail, StringComparison.Ordinal);
        Assert.Contains("available: digits", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextClassify_KnownSentence_ReturnsLabelFromItsEmbedding()
    {
        var body = await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/classify/spamhead", """{ "text": "This is a test." }"""));

        // The head's logits are 100 x the first two embedding values (0.033591, 0.010513).
        var ham = 1 / (1 + Math.Exp(-100 * (0.033591 - 0.010513)));
        Assert.Equal("ham", body.GetProperty("label").GetString());
        Assert.Equal(ham, body.GetProperty("probability").GetDouble(), 3);
        var probabilities = body.GetProperty("probabilities");
        Assert.Equal("spam", probabilities[1].GetProperty("label").GetString());
        Assert.Equal(1 - ham, probabilities[1].GetProperty("probability").GetDouble(), 3);
        Assert.False(body.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task TextClassify_TextLongerThanTheHeadsMaxTokens_IsTruncatedAndSaysSo()
    {
        var json = JsonSerializer.Serialize(new { text = string.Join(' ', Enumerable.Repeat("word", 40)) });

        var body = await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/classify/spamhead", json));

        Assert.True(body.GetProperty("truncated").GetBoolean());
        Assert.Equal(16, body.GetProperty("tokens").GetInt32());
    }

    [Fact]
    public async Task TextClassify_MissingText_Returns400()
    {
        var detail = await ReadProblemAsync(await PostJsonAsync(_client, "/v1/text/classify/spamhead", """{ "texts": ["wrong field"] }"""), HttpStatusCode.BadRequest);

        Assert.Contains("'text' must be a non-empty string", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextClassify_ImageClassifier_Returns404()
    {
        var detail = await ReadProblemAsync(await PostJsonAsync(_client, "/v1/text/classify/digits", """{ "text": "hello" }"""), HttpStatusCode.NotFound);

        Assert.Contains("available: spamhead", detail, StringComparison.Ordinal);
    }
}

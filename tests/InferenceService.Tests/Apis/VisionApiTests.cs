using System.Net;
using InferenceService.Runtime.Pipelines;
using InferenceService.Tests.Pipelines;
using SkiaSharp;
using static InferenceService.Tests.Apis.TaskHttp;

namespace InferenceService.Tests.Apis;

[Collection(ServiceCollection.Name)]
public sealed class VisionApiTests(ServiceFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Embeddings_RawPng_ReturnsOneUnitVectorOf512()
    {
        var png = TestImages.Encode(TestImages.Scene.DiscAndBar, 320, 240, SKEncodedImageFormat.Png);

        var body = await ReadOkAsync(await PostRawAsync(_client, "/v1/vision/embeddings", png, "image/png"));

        Assert.Equal("resnet18", body.GetProperty("model").GetString());
        Assert.Equal(512, body.GetProperty("dimensions").GetInt32());
        var embedding = Floats(body.GetProperty("embeddings")[0]);
        Assert.Equal(512, embedding.Length);
        Assert.Equal(1, Norm(embedding), 4);
    }

    [Fact]
    public async Task Embeddings_MultipartImages_ReturnsOnePerImageInUploadOrder()
    {
        var disc = TestImages.Encode(TestImages.Scene.DiscAndBar, 320, 240, SKEncodedImageFormat.Jpeg);
        var board = TestImages.Encode(TestImages.Scene.Checkerboard, 256, 256, SKEncodedImageFormat.Webp);
        var alone = Floats((await ReadOkAsync(await PostRawAsync(_client, "/v1/vision/embeddings", board, "image/webp"))).GetProperty("embeddings")[0]);

        var body = await ReadOkAsync(await PostFilesAsync(_client, "/v1/vision/embeddings", (disc, "disc.jpg", "image/jpeg"), (board, "board.webp", "image/webp")));

        var embeddings = body.GetProperty("embeddings");
        Assert.Equal(2, embeddings.GetArrayLength());
        Assert.True(VectorMath.Cosine(Floats(embeddings[1]), alone) > 0.9999f, "the second embedding is the checkerboard's, whatever it was batched with");
        Assert.True(VectorMath.Cosine(Floats(embeddings[0]), alone) < 0.99f);
    }

    [Fact]
    public async Task Similarity_SameImageTwice_ReturnsCosineOne()
    {
        var jpeg = TestImages.Encode(TestImages.Scene.DiscAndBar, 320, 240, SKEncodedImageFormat.Jpeg);

        var body = await ReadOkAsync(await PostFilesAsync(_client, "/v1/vision/similarity", (jpeg, "a.jpg", "image/jpeg"), (jpeg, "b.jpg", "image/jpeg")));

        Assert.Equal(1, body.GetProperty("cosine").GetSingle(), 4);
    }

    [Fact]
    public async Task Similarity_SlightlyResizedCopy_ReturnsAboveNinety()
    {
        using var original = TestImages.Draw(TestImages.Scene.DiscAndBar, 320, 240);
        using var resized = original.Resize(new SKImageInfo(288, 216), new SKSamplingOptions(SKFilterMode.Linear));

        var cosine = await SimilarityAsync(TestImages.Encode(original, SKEncodedImageFormat.Png), TestImages.Encode(resized, SKEncodedImageFormat.Jpeg));

        Assert.True(cosine > 0.9f, $"cosine {cosine}");
    }

    [Fact]
    public async Task Similarity_UnrelatedImages_ReturnsLowerThanAResizedCopy()
    {
        using var original = TestImages.Draw(TestImages.Scene.DiscAndBar, 320, 240);
        using var resized = original.Resize(new SKImageInfo(288, 216), new SKSamplingOptions(SKFilterMode.Linear));
        var originalPng = TestImages.Encode(original, SKEncodedImageFormat.Png);
        var copy = await SimilarityAsync(originalPng, TestImages.Encode(resized, SKEncodedImageFormat.Png));

        var unrelated = await SimilarityAsync(originalPng, TestImages.Encode(TestImages.Scene.Checkerboard, 320, 240, SKEncodedImageFormat.Png));

        Assert.True(unrelated < copy - 0.1f, $"unrelated {unrelated}, resized copy {copy}");
    }

    [Fact]
    public async Task Similarity_OneImage_Returns400()
    {
        var png = TestImages.Encode(TestImages.Scene.DiscAndBar, 64, 64, SKEncodedImageFormat.Png);

        var detail = await ReadProblemAsync(await PostFilesAsync(_client, "/v1/vision/similarity", (png, "a.png", "image/png")), HttpStatusCode.BadRequest);

        Assert.Contains("exactly 2 images", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Similarity_ThreeImages_Returns400()
    {
        var png = TestImages.Encode(TestImages.Scene.DiscAndBar, 32, 32, SKEncodedImageFormat.Png);

        var detail = await ReadProblemAsync(await PostFilesAsync(_client, "/v1/vision/similarity", (png, "a.png", "image/png"), (png, "b.png", "image/png"), (png, "c.png", "image/png")), HttpStatusCode.BadRequest);

        Assert.Contains("at most 2 per request (similarity compares two images)", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_TruncatedJpeg_Returns400()
    {
        var jpeg = TestImages.Encode(TestImages.Scene.DiscAndBar, 320, 240, SKEncodedImageFormat.Jpeg);

        var detail = await ReadProblemAsync(await PostRawAsync(_client, "/v1/vision/embeddings", jpeg[..(jpeg.Length / 2)], "image/jpeg"), HttpStatusCode.BadRequest);

        Assert.Contains("truncated or corrupt", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_TextRenamedPng_Returns400()
    {
        var text = "this is not a picture, just text with a .png name"u8.ToArray();

        var detail = await ReadProblemAsync(await PostFilesAsync(_client, "/v1/vision/embeddings", (text, "notes.png", "image/png")), HttpStatusCode.BadRequest);

        Assert.Contains("not a JPEG, PNG or WebP", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_HugeDeclaredDimensions_Returns413StatingThePixelLimit()
    {
        var bomb = TestImages.PngHeader(100_000, 100_000);

        var detail = await ReadProblemAsync(await PostRawAsync(_client, "/v1/vision/embeddings", bomb, "image/png"), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("100000 x 100000", detail, StringComparison.Ordinal);
        Assert.Contains("limit is 40000000 pixels", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_MoreImagesThanTheLimit_Returns400StatingTheLimit()
    {
        var png = TestImages.Encode(TestImages.Scene.DiscAndBar, 32, 32, SKEncodedImageFormat.Png);
        var files = Enumerable.Range(0, 9).Select(i => (png, $"{i}.png", "image/png")).ToArray();

        var detail = await ReadProblemAsync(await PostFilesAsync(_client, "/v1/vision/embeddings", files), HttpStatusCode.BadRequest);

        Assert.Contains("at most 8 per request (Tasks:MaxImagesPerRequest)", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_BodyOverTheByteLimit_Returns413StatingTheLimit()
    {
        var body = new byte[(16 * 1024 * 1024) + 1];

        var detail = await ReadProblemAsync(await PostRawAsync(_client, "/v1/vision/embeddings", body, "image/jpeg"), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("limit of 16777216 bytes", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_UnsupportedContentType_Returns415()
    {
        var detail = await ReadProblemAsync(await PostRawAsync(_client, "/v1/vision/embeddings", [1, 2, 3], "application/octet-stream"), HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("multipart/form-data", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Classify_ModelThatIsNotAnImageClassifier_Returns404()
    {
        var png = TestImages.Encode(TestImages.Scene.DiscAndBar, 28, 28, SKEncodedImageFormat.Png);

        var detail = await ReadProblemAsync(await PostRawAsync(_client, "/v1/vision/classify/resnet18", png, "image/png"), HttpStatusCode.NotFound);

        Assert.Contains("no pipeline of kind 'image-classifier'", detail, StringComparison.Ordinal);
    }

    private async Task<float> SimilarityAsync(byte[] a, byte[] b)
    {
        var body = await ReadOkAsync(await PostFilesAsync(_client, "/v1/vision/similarity", (a, "a", "image/png"), (b, "b", "image/jpeg")));
        return body.GetProperty("cosine").GetSingle();
    }
}

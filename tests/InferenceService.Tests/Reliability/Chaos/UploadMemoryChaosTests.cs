using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using SkiaSharp;
using Xunit.Abstractions;

namespace InferenceService.Tests.Reliability.Chaos;

/// <summary>
/// 64 clients upload a 16 MB image each at once (an incompressible PNG, which decodes at full size) to
/// /v1/vision/embeddings of the service in its own process. Vision requests read and decode
/// Tasks:MaxConcurrentImageRequests at a time, so the peak RSS (the kernel's high-water mark) stays within 512 MB of
/// the idle RSS; every upload gets a 200 with the same embedding (the same image), none a 5xx, and the service stays ready.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class UploadMemoryChaosTests(ITestOutputHelper output)
{
    private const long Budget = 512L * 1024 * 1024;

    private static int Uploads => 64;

    private static int Rounds => ReliabilitySettings.Long ? 5 : 1;

    [Fact]
    [Trait("Category", "Load")]
    public async Task ConcurrentLargeUploads_PeakRssWithinIdlePlus512MB_No5xx()
    {
        var image = NoisePng(2290, 2290);
        Assert.InRange(image.Length, 15_000_000, 16 * 1024 * 1024);
        using var repository = new ReliabilityRepository();
        repository.AddModel("resnet18");
        using var service = await ServiceProcess.StartAsync(repository.Path, "--ModelRepository:ControlMode=none");
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Uploads }) { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
        var reference = await UploadAsync(client, image);
        var idle = service.ResidentBytes();

        var answers = new List<(int Status, float[]? Embedding, string? Error)>();
        for (var round = 0; round < Rounds; round++)
        {
            answers.AddRange(await Task.WhenAll(Enumerable.Range(0, Uploads).Select(_ => UploadAsync(client, image))));
        }

        var peak = service.PeakResidentBytes();
        using var ready = await client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative));
        output.WriteLine($"image {image.Length / 1e6:F1} MB; idle RSS {idle / 1e6:F0} MB, peak {peak / 1e6:F0} MB (+{(peak - idle) / 1e6:F0} MB)");

        Assert.Equal(200, reference.Status);
        Assert.All(answers, a => Assert.True(a.Status == 200, $"{a.Status}: {a.Error}"));
        Assert.All(answers, a => Assert.Equal(reference.Embedding!, a.Embedding!, (x, y) => Math.Abs(x - y) < 1e-5f));
        Assert.True(peak <= idle + Budget, $"peak RSS {peak / 1e6:F0} MB > idle {idle / 1e6:F0} MB + 512 MB");
        Assert.True(ready.IsSuccessStatusCode);
    }

    private static async Task<(int Status, float[]? Embedding, string? Error)> UploadAsync(HttpClient client, byte[] image)
    {
        var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var response = await client.PostAsync(new Uri("/v1/vision/embeddings", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? (200, JsonNode.Parse(text)!["embeddings"]![0]!.AsArray().Select(v => v!.GetValue<float>()).ToArray(), null)
            : ((int)response.StatusCode, null, text);
    }

    /// <summary>Random pixels do not compress: the PNG is about width x height x 4 bytes, and decodes to that much.</summary>
    private static byte[] NoisePng(int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var random = new Random(21);
        var pixels = new byte[width * height * 4];
        random.NextBytes(pixels);
        for (var i = 3; i < pixels.Length; i += 4)
        {
            pixels[i] = 255;
        }

        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 0);
        return data.ToArray();
    }
}

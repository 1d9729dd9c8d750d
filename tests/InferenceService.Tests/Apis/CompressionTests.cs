using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceService.Tests.Apis;

/// <summary>
/// Triton's HTTP compression, as its Python client uses it: a gzip or deflate (zlib) request body with Content-Encoding,
/// Accept-Encoding for the response. The adder model answers x + 1, so every number can be checked.
/// </summary>
public sealed class CompressionTests(CompressionTests.Service service) : IClassFixture<CompressionTests.Service>
{
    private const int BodyLimit = 256 * 1024;

    /// <summary>The adder (x + 1) and MiniLM, with a 256 KiB V2 body limit and a 64 KiB text-task limit.</summary>
    public sealed class Service : IAsyncLifetime
    {
        private readonly CustomService _service = new(new()
        {
            ["Limits:MaxRequestBodyBytes"] = BodyLimit.ToString(CultureInfo.InvariantCulture),
            ["Tasks:MaxTextBodyBytes"] = "65536",
        });

        public HttpClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            AdderModel.Publish(_service.RepositoryPath, "adder", 1, AdderModel.Build(1f));
            _service.AddRealModel("minilm");
            Client = await _service.StartAsync();
            Assert.True(_service.Models.IsReady, _service.Models.Readiness);
        }

        public Task DisposeAsync()
        {
            _service.Dispose();
            return Task.CompletedTask;
        }
    }

    /// <summary>What Python's gzip.compress and zlib.compress make.</summary>
    internal static byte[] Compress(byte[] data, string coding)
    {
        using var buffer = new MemoryStream();
        using (Stream encoder = coding == "gzip" ? new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true) : new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            encoder.Write(data);
        }

        return buffer.ToArray();
    }

    private static byte[] Decompress(byte[] data, string coding)
    {
        using Stream decoder = coding == "gzip" ? new GZipStream(new MemoryStream(data), CompressionMode.Decompress) : new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        decoder.CopyTo(plain);
        return plain.ToArray();
    }

    private Task<HttpResponseMessage> PostAsync(string path, byte[] body, string contentType, string? contentEncoding, string? acceptEncoding = null, int? headerLength = null) =>
        PostAsync(service.Client, path, body, contentType, contentEncoding, acceptEncoding, headerLength);

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, byte[] body, string contentType, string? contentEncoding, string? acceptEncoding = null, int? headerLength = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        foreach (var coding in contentEncoding?.Split(", ") ?? [])
        {
            content.Headers.ContentEncoding.Add(coding);
        }

        if (headerLength is { } length)
        {
            content.Headers.Add("Inference-Header-Content-Length", length.ToString(CultureInfo.InvariantCulture));
        }

        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (acceptEncoding is not null)
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(acceptEncoding));
        }

        return client.SendAsync(request);
    }

    private static byte[] AdderJson(float[] x) =>
        Encoding.UTF8.GetBytes(V2Json.Request(V2Json.Tensor("x", "FP32", [x.Length / 4, 4], x)).ToJsonString());

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Infer_CompressedJsonBothWays_OutputsOfTheInflatedRequest(string coding)
    {
        float[] x = [1, 2, 3, 4, -1, -2, -3, -4];

        using var response = await PostAsync("/v2/models/adder/infer", Compress(AdderJson(x), coding), "application/json", coding, acceptEncoding: coding);
        var compressed = await response.Content.ReadAsByteArrayAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(Decompress(compressed, coding)));
        Assert.Equal([coding], response.Content.Headers.ContentEncoding);
        var outputs = JsonNode.Parse(Decompress(compressed, coding))!["outputs"]![0]!;
        Assert.Equal(x.Select(v => v + 1), outputs["data"]!.AsArray().Select(v => v!.GetValue<float>()));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Infer_CompressedBinaryBothWays_HeaderLengthsCountTheUncompressedJson(string coding)
    {
        // Triton's client: Inference-Header-Content-Length is the JSON header's length before compression.
        float[] x = [0.5f, 1.5f, 2.5f, 3.5f];
        var header = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"parameters":{"binary_data_size":16}}],"outputs":[{"name":"y","parameters":{"binary_data":true}}]}""");
        byte[] body = [.. header, .. x.SelectMany(BitConverter.GetBytes)];

        using var response = await PostAsync("/v2/models/adder/infer", Compress(body, coding), "application/octet-stream", coding, acceptEncoding: coding, headerLength: header.Length);
        var compressed = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([coding], response.Content.Headers.ContentEncoding);
        var plain = Decompress(compressed, coding);
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), CultureInfo.InvariantCulture);
        var output = JsonNode.Parse(plain.AsSpan(0, jsonLength))!["outputs"]![0]!;
        Assert.Equal(16, output["parameters"]!["binary_data_size"]!.GetValue<int>());
        Assert.Equal(jsonLength + 16, plain.Length);
        var y = Enumerable.Range(0, 4).Select(i => BitConverter.ToSingle(plain, jsonLength + (4 * i)));
        Assert.Equal(x.Select(v => v + 1), y);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task TextEmbeddings_CompressedBothWays_SameEmbeddingAsPlain(string coding)
    {
        var json = Encoding.UTF8.GetBytes("""{ "texts": ["This is a test."] }""");

        using var plainResponse = await PostAsync("/v1/text/embeddings", json, "application/json", null);
        using var response = await PostAsync("/v1/text/embeddings", Compress(json, coding), "application/json", coding, acceptEncoding: coding);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([coding], response.Content.Headers.ContentEncoding);
        var expected = JsonNode.Parse(await plainResponse.Content.ReadAsStringAsync())!["data"]![0]!["embedding"]!.ToJsonString();
        var actual = JsonNode.Parse(Decompress(await response.Content.ReadAsByteArrayAsync(), coding))!["data"]![0]!["embedding"]!.ToJsonString();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Infer_NoAcceptEncoding_ResponseNotCompressed()
    {
        using var response = await PostAsync("/v2/models/adder/infer", Compress(AdderJson([1, 2, 3, 4]), "gzip"), "application/json", "gzip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["outputs"]);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Infer_CompressionBomb_413ErrorObjectNamingTheInflatedLimit(string coding)
    {
        // 64 MiB of zeros compress to about 64 KiB, under the 256 KiB body limit; inflated they are far over it.
        var bomb = Compress(new byte[64 * 1024 * 1024], coding);
        Assert.True(bomb.Length < BodyLimit, $"{bomb.Length} bytes");

        using var response = await PostAsync("/v2/models/adder/infer", bomb, "application/json", coding);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains(BodyLimit.ToString(CultureInfo.InvariantCulture), error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextEmbeddings_CompressionBomb_413Problem()
    {
        // Over Tasks:MaxTextBodyBytes (64 KiB here, under the 256 KiB V2 limit) once inflated; 8 MiB of zeros are 8 KiB of gzip.
        using var response = await PostAsync("/v1/text/embeddings", Compress(new byte[8 * 1024 * 1024], "gzip"), "application/json", "gzip");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Tasks:MaxTextBodyBytes", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gzip", "cut", "truncated")]
    [InlineData("deflate", "cut", "truncated")]
    [InlineData("gzip", "trailer", "truncated")]
    [InlineData("gzip", "flipped", "corrupt")]
    [InlineData("deflate", "flipped", "corrupt")]
    [InlineData("gzip", "plain", "gzip request body is corrupt")]
    [InlineData("deflate", "raw", "zlib format")]
    public async Task Infer_CorruptCompressedBody_400ErrorObject(string coding, string damage, string message)
    {
        var json = AdderJson(Enumerable.Range(0, 400).Select(i => (float)i).ToArray());
        var good = Compress(json, coding);
        var body = damage switch
        {
            "cut" => good[..(good.Length / 2)],
            "trailer" => good[..^1],
            "flipped" => [.. good[..12], .. good[12..].Select(b => (byte)(b ^ 0x5A))],
            "plain" => json,
            _ => RawDeflate(json),
        };

        using var response = await PostAsync("/v2/models/adder/infer", body, "application/json", coding);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextEmbeddings_TruncatedGzip_400Problem()
    {
        var good = Compress(Encoding.UTF8.GetBytes("""{ "texts": ["This is a test.", "And another sentence to make the body longer."] }"""), "gzip");

        using var response = await PostAsync("/v1/text/embeddings", good[..^6], "application/json", "gzip");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("truncated", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("br", "'br' is not supported")]
    [InlineData("gzip, deflate", "stacks 2 codings")]
    public async Task Infer_UnsupportedContentEncoding_415ErrorObjectWithAcceptEncoding(string contentEncoding, string message)
    {
        using var response = await PostAsync("/v2/models/adder/infer", AdderJson([1, 2, 3, 4]), "application/json", contentEncoding);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal("gzip, deflate", string.Join(", ", response.Headers.GetValues("Accept-Encoding")));
    }

    [Fact]
    public async Task Infer_IdentityContentEncoding_ReadAsIs()
    {
        using var response = await PostAsync("/v2/models/adder/infer", AdderJson([1, 2, 3, 4]), "application/json", "identity");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Infer_OverKestrel_GzipBothWaysAndBombRefused()
    {
        // Kestrel hands the body to the handler through its own pipe, unlike the test server: the same answers there.
        using var kestrel = new CustomService(new() { ["urls"] = "http://127.0.0.1:0", ["Grpc:Url"] = string.Empty, ["Limits:MaxRequestBodyBytes"] = BodyLimit.ToString(CultureInfo.InvariantCulture) });
        AdderModel.Publish(kestrel.RepositoryPath, "adder", 1, AdderModel.Build(1f));
        kestrel.UseKestrel();
        kestrel.StartServer();
        await kestrel.Models.Startup.WaitAsync(TimeSpan.FromMinutes(2));
        var address = kestrel.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        using var response = await PostAsync(client, "/v2/models/adder/infer", Compress(AdderJson([1, 2, 3, 4]), "gzip"), "application/json", "gzip", acceptEncoding: "gzip");
        var compressed = await response.Content.ReadAsByteArrayAsync();
        using var bomb = await PostAsync(client, "/v2/models/adder/infer", Compress(new byte[64 * 1024 * 1024], "gzip"), "application/json", "gzip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal([2f, 3f, 4f, 5f], JsonNode.Parse(Decompress(compressed, "gzip"))!["outputs"]![0]!["data"]!.AsArray().Select(v => v!.GetValue<float>()));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, bomb.StatusCode);
        Assert.NotNull(JsonNode.Parse(await bomb.Content.ReadAsStringAsync())!["error"]);
    }

    private static byte[] RawDeflate(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var encoder = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            encoder.Write(data);
        }

        return buffer.ToArray();
    }
}

using System.Net;
using System.Text.Json;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using InferenceService.Runtime.Repository;
using InferenceService.Tests.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using static InferenceService.Tests.Apis.TaskHttp;

namespace InferenceService.Tests.Apis;

/// <summary>
/// Per-version settings (models/&lt;name&gt;/&lt;version&gt;/pipeline.json): versions served side by side each use their own
/// normalisation, and a head pinned to a backbone version is fed by that version only.
/// </summary>
public sealed class VersionSettingsTests
{
    // models/mnist's numbers (what version 1 was trained with) and other ones for a version 2 of the same weights.
    private const float MnistMean = 0.1307f;
    private const float MnistStd = 0.3081f;
    private const float OtherMean = 0.5f;
    private const float OtherStd = 0.2f;
    private const string Text = "Claim your free prize now, reply to this message before midnight.";

    [Fact]
    public async Task VersionPolicyAll_Version2WithOtherNormalisation_EachVersionAnswersWithItsOwn()
    {
        using var service = new CustomService();
        service.AddRealModel("mnist", "digits");
        ServeAllVersions(service, "digits");
        LinkFiles(service, Path.Combine(RepoPaths.Models, "mnist", "1"), "digits/2", "model.onnx", "labels.txt");
        service.Write("digits/2/pipeline.json", $$"""
            { "kind": "image-classifier", "labels": "labels.txt",
              "image": { "width": 28, "height": 28, "channels": 1, "scale": 0.00392156862745098, "mean": [{{OtherMean}}], "std": [{{OtherStd}}], "invert": false } }
            """);
        var client = await service.StartAsync();
        var png = PatternPng();

        var route = await ReadOkAsync(await PostRawAsync(client, "/v1/vision/classify/digits?k=10", png, "image/png"));
        var version1 = await ClassifyAsync(service, "1", png);
        var version2 = await ClassifyAsync(service, "2", png);
        var expected1 = await ExpectedAsync(client, "1", MnistMean, MnistStd);
        var expected2 = await ExpectedAsync(client, "2", OtherMean, OtherStd);

        Assert.Equal("2", route.GetProperty("version").GetString());
        AssertClose(expected1, version1);
        AssertClose(expected2, version2);
        AssertClose(expected2, route.GetProperty("predictions").EnumerateArray().OrderBy(p => p.GetProperty("index").GetInt32()).Select(p => p.GetProperty("probability").GetDouble()).ToArray());
        Assert.True(expected1.Zip(expected2).Max(p => Math.Abs(p.First - p.Second)) > 0.01, "the two normalisations should give visibly different answers");
    }

    [Fact]
    public async Task PinnedHead_NewBackboneVersion_KeepsItsVersionAndMissingPinIsUnavailable()
    {
        using var service = new CustomService();
        AddMiniLmVersions(service);
        WriteHead(service, "pinned", """{ "embedding_model_version": 1 }""");
        WriteHead(service, "unpinned", pipelineJson: null);
        WriteHead(service, "missing", """{ "embedding_model_version": 3 }""");
        var client = await service.StartAsync();

        var embedding1 = await EmbedAsync(service, "1");
        var embedding2 = await EmbedAsync(service, "2");
        var pinned = await ReadOkAsync(await PostJsonAsync(client, "/v1/text/classify/pinned", JsonSerializer.Serialize(new { text = Text })));
        var unpinned = await ReadOkAsync(await PostJsonAsync(client, "/v1/text/classify/unpinned", JsonSerializer.Serialize(new { text = Text })));
        using var missingAnswer = await PostJsonAsync(client, "/v1/text/classify/missing", JsonSerializer.Serialize(new { text = Text }));
        var missing = service.Models.Find("missing", null, out _)!;

        AssertClose(HeadProbabilities(embedding1), Probabilities(pinned));
        AssertClose(HeadProbabilities(embedding2), Probabilities(unpinned));
        Assert.True(Math.Abs(HeadProbabilities(embedding1)[0] - HeadProbabilities(embedding2)[0]) > 0.01, "minilm versions 1 and 2 should give visibly different head answers");
        Assert.Equal(ModelState.Unavailable, missing.State);
        Assert.Contains("pipeline.embedding_model_version 3: 'minilm' does not serve version 3", missing.Reason, StringComparison.Ordinal);
        Assert.Contains(service.Services.GetRequiredService<ModelManager>().Index(), e => e.Name == "missing" && e.State == "UNAVAILABLE" && e.Reason == missing.Reason);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, missingAnswer.StatusCode);
    }

    [Fact]
    public async Task PinnedHead_BackboneReloadedWithoutPinnedVersion_RefusesRatherThanFallBack()
    {
        using var service = new CustomService();
        AddMiniLmVersions(service);
        WriteHead(service, "pinned", """{ "embedding_model_version": 1 }""");
        var client = await service.StartAsync();

        service.Write("minilm/config.json", MiniLmConfig("""{ "specific": [2] }"""));
        var minilm = await service.Services.GetRequiredService<ModelManager>().LoadModelAsync("minilm", CancellationToken.None);
        var detail = await ReadProblemAsync(await PostJsonAsync(client, "/v1/text/classify/pinned", JsonSerializer.Serialize(new { text = Text })), HttpStatusCode.ServiceUnavailable);

        Assert.Equal([2L], minilm.Versions.Select(v => v.Version));
        Assert.Contains("Model 'pinned' version 1 was trained on 'minilm' version 1, which is not served now", detail, StringComparison.Ordinal);
    }

    private static void ServeAllVersions(CustomService service, string name)
    {
        var path = Path.Combine(service.RepositoryPath, name, "config.json");
        var config = File.ReadAllText(path);
        Assert.Contains("\"latest\": 1", config, StringComparison.Ordinal);
        File.WriteAllText(path, config.Replace("\"latest\": 1", "\"all\": {}", StringComparison.Ordinal));
    }

    private static void LinkFiles(CustomService service, string from, string toVersion, params string[] files)
    {
        Directory.CreateDirectory(Path.Combine(service.RepositoryPath, toVersion));
        foreach (var file in files)
        {
            File.CreateSymbolicLink(Path.Combine(service.RepositoryPath, toVersion, file), Path.Combine(from, file));
        }
    }

    /// <summary>
    /// minilm version 1 (the real one) and a version 2 with the same graph whose vocabulary numbers the ordinary words
    /// in reverse: the same texts become other ids and so other embeddings, as a retrained backbone's would.
    /// </summary>
    private static void AddMiniLmVersions(CustomService service)
    {
        var real = Path.Combine(RepoPaths.Models, "minilm", "1");
        service.Write("minilm/config.json", MiniLmConfig("""{ "all": {} }"""));
        LinkFiles(service, real, "minilm/1", "model.onnx", "vocab.txt");
        LinkFiles(service, real, "minilm/2", "model.onnx");
        var vocab = File.ReadAllLines(Path.Combine(real, "vocab.txt"));
        service.Write("minilm/2/vocab.txt", string.Join('\n', vocab.Take(1000).Concat(vocab.Skip(1000).Reverse())) + "\n");
    }

    private static string MiniLmConfig(string policy) => $$"""
        {
          "max_batch_size": 8,
          "inputs": [
            { "name": "input_ids", "datatype": "INT64", "dims": [-1], "pad_value": 0 },
            { "name": "attention_mask", "datatype": "INT64", "dims": [-1], "pad_value": 0 },
            { "name": "token_type_ids", "datatype": "INT64", "dims": [-1], "pad_value": 0 }
          ],
          "outputs": [ { "name": "last_hidden_state", "datatype": "FP32", "dims": [-1, 384] } ],
          "version_policy": {{policy}},
          "pipeline": { "kind": "text-embedder", "vocab": "vocab.txt" }
        }
        """;

    /// <summary>A head whose logits are [100 x embedding[0], 100 x embedding[1]]; its pin, if any, in its version's pipeline.json.</summary>
    private static void WriteHead(CustomService service, string name, string? pipelineJson)
    {
        var weights = new float[384 * 2];
        weights[0] = 100;
        weights[3] = 100;
        service.Write($"{name}/config.json", """
            {
              "max_batch_size": 8,
              "inputs": [ { "name": "embedding", "datatype": "FP32", "dims": [384] } ],
              "outputs": [ { "name": "logits", "datatype": "FP32", "dims": [2] } ],
              "pipeline": { "kind": "text-classifier", "embedding_model": "minilm", "labels": "labels.txt", "max_tokens": 64 }
            }
            """);
        service.Write($"{name}/1/labels.txt", "ham\nspam\n");
        File.WriteAllBytes(Path.Combine(service.RepositoryPath, name, "1", "model.onnx"), TinyOnnxModels.LinearClassifier("embedding", [384], "logits", weights, [0, 0]));
        if (pipelineJson is not null)
        {
            service.Write($"{name}/1/pipeline.json", pipelineJson);
        }
    }

    private static async Task<float[]> EmbedAsync(CustomService service, string version)
    {
        var gateway = service.Services.GetRequiredService<InferenceGateway>();
        using var ticket = gateway.AdmitPipeline<TextEmbedder>("minilm", PipelineKinds.TextEmbedder, out var embedder, version);
        return (await embedder.EmbedAsync(gateway, ticket, [Text], 64, CancellationToken.None))[0].Vector;
    }

    private static double[] HeadProbabilities(float[] embedding) => Softmax([100 * embedding[0], 100 * embedding[1]]);

    private static double[] Probabilities(JsonElement answer) =>
        answer.GetProperty("probabilities").EnumerateArray().OrderBy(p => p.GetProperty("index").GetInt32()).Select(p => p.GetProperty("probability").GetDouble()).ToArray();

    /// <summary>One version's image-classifier pipeline on the request path (the task route serves only the newest).</summary>
    private static async Task<double[]> ClassifyAsync(CustomService service, string version, byte[] png)
    {
        var gateway = service.Services.GetRequiredService<InferenceGateway>();
        using var ticket = gateway.AdmitPipeline<ImageClassifier>("digits", PipelineKinds.ImageClassifier, out var classifier, version);
        Assert.Equal(long.Parse(version, System.Globalization.CultureInfo.InvariantCulture), ticket.Model.Version);
        var top = await classifier.ClassifyAsync(gateway, ticket, png, 1 << 20, 10, CancellationToken.None);
        return top.OrderBy(s => s.Index).Select(s => (double)s.Probability).ToArray();
    }

    /// <summary>The answer worked out here: the pattern normalised with <paramref name="mean"/>/<paramref name="std"/>, run through V2 on that version, softmax.</summary>
    private static async Task<double[]> ExpectedAsync(HttpClient client, string version, float mean, float std)
    {
        var input = new float[28 * 28];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = ((Pixel(i % 28, i / 28) * 0.00392156862745098f) - mean) / std;
        }

        var (body, status) = await V2Json.PostAsync(client, $"/v2/models/digits/versions/{version}/infer", V2Json.Request(V2Json.Tensor("input", "FP32", [1, 1, 28, 28], input)));
        Assert.Equal(HttpStatusCode.OK, status);
        return Softmax(V2Json.Floats(body));
    }

    private static byte Pixel(int x, int y) => (byte)(((x * 9) + (y * 5)) % 256);

    private static byte[] PatternPng()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Bgra8888, SKAlphaType.Premul));
        for (var y = 0; y < 28; y++)
        {
            for (var x = 0; x < 28; x++)
            {
                var v = Pixel(x, y);
                bitmap.SetPixel(x, y, new SKColor(v, v, v));
            }
        }

        return TestImages.Encode(bitmap, SKEncodedImageFormat.Png);
    }

    private static double[] Softmax(float[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-4, $"class {i}: expected {expected[i]:G6}, got {actual[i]:G6}");
        }
    }
}

using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using InferenceService.Hosting;
using InferenceService.Runtime.Protocol;
using InferenceService.Runtime.Tensors;
using InferenceService.Tests.Shared;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace InferenceService.Tests.Apis;

/// <summary>Models dropped into the repository as ONNX files only: the config comes from the graph (issue 20).</summary>
public sealed class DropInModelTests
{
    private const string Key = "drop-in-key";

    [Fact]
    public async Task Start_OnlyResNet18ModelOnnx_ServesWithBatchingAndShowsTheCompletedConfig()
    {
        using var service = new CustomService();
        var versionDir = Path.Combine(service.RepositoryPath, "resnet18", "1");
        Directory.CreateDirectory(versionDir);
        File.Copy(Path.Combine(RepoPaths.Models, "resnet18", "1", "model.onnx"), Path.Combine(versionDir, "model.onnx"));
        var client = await service.StartAsync();
        Assert.True(service.Models.IsReady, service.Models.Readiness);

        var config = JsonNode.Parse(await client.GetStringAsync("/v2/models/resnet18/config"))!;
        var metadata = JsonNode.Parse(await client.GetStringAsync("/v2/models/resnet18"))!;
        var a = Image(seed: 1);
        var b = Image(seed: 2);
        var alone = new List<float[]>();
        foreach (var image in new[] { a, b })
        {
            var (single, singleStatus) = await V2Json.PostAsync(client, "/v2/models/resnet18/infer", V2Json.Request(V2Json.Tensor("Input247", "FP32", [1, 3, 224, 224], image)));
            Assert.Equal(HttpStatusCode.OK, singleStatus);
            alone.Add(V2Json.Floats(single));
        }

        var (batched, status) = await V2Json.PostAsync(client, "/v2/models/resnet18/infer", V2Json.Request(V2Json.Tensor("Input247", "FP32", [2, 3, 224, 224], (float[])[.. a, .. b])));

        Assert.Equal(64, config["max_batch_size"]!.GetValue<int>());
        Assert.NotNull(config["dynamic_batching"]);
        Assert.Equal("Input247", config["input"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("TYPE_FP32", config["input"]![0]!["data_type"]!.GetValue<string>());
        Assert.Equal("[3,224,224]", Dims(config["input"]![0]!));
        Assert.Equal("[512,1,1]", Dims(config["output"]![0]!));
        Assert.Equal("[-1,3,224,224]", metadata["inputs"]![0]!["shape"]!.ToJsonString());
        Assert.Equal(64, metadata["parameters"]!["max_batch_size"]!.GetValue<int>());
        Assert.True(metadata["parameters"]!["opset"]!.GetValue<long>() > 0, metadata.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("[2,512,1,1]", batched["outputs"]![0]!["shape"]!.ToJsonString());
        var together = V2Json.Floats(batched);
        Assert.Equal(1024, together.Length);
        Assert.NotEqual(alone[0], alone[1]);
        for (var i = 0; i < 1024; i++)
        {
            Assert.Equal(alone[i / 512][i % 512], together[i], 1e-4f);
        }
    }

    [Fact]
    public async Task Start_BadModelFolders_EachUnavailableWithOneLineReasonAndTheRestServe()
    {
        using var service = new CustomService(new() { ["Admin:ApiKey"] = Key });
        Write(service, "good/1/model.onnx", DropInGraphs.AddWeights([-1, 3]));
        Write(service, "two/1/model.onnx", DropInGraphs.AddWeights([-1, 3]));
        Write(service, "two/1/model-v2.onnx", DropInGraphs.AddWeights([-1, 3]));
        service.Write("garbage/1/model.onnx", "this is not an onnx file");
        Write(service, "noname/1/model.onnx", DropInGraphs.AddWeights([-1, 3], inputName: null));
        service.Write("empty/1/labels.txt", "a\nb\n");
        service.Write("typo/config.json", """{ "max_batch_sise": 4 }""");
        Write(service, "typo/1/model.onnx", DropInGraphs.AddWeights([-1, 3]));
        service.Write("contradicts/config.json", """{ "inputs": [ { "name": "image" } ] }""");
        Write(service, "contradicts/1/model.onnx", DropInGraphs.AddWeights([-1, 3]));
        var client = await service.StartAsync();

        var (answer, status) = await V2Json.PostAsync(client, "/v2/models/good/infer", V2Json.Request(V2Json.Tensor("x", "FP32", [1, 3], new[] { 10f, 20f, 30f })));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/repository/index") { Headers = { { "X-API-Key", Key } } };
        using var response = await client.SendAsync(request);
        var index = (await response.Content.ReadFromJsonAsync<JsonArray>())!.ToDictionary(r => r!["name"]!.GetValue<string>(), r => (State: r!["state"]!.GetValue<string>(), Reason: r["reason"]?.GetValue<string>() ?? string.Empty));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([11f, 22f, 33f], V2Json.Floats(answer));
        Assert.Equal("READY", index["good"].State);
        Assert.All(index.Where(r => r.Key != "good"), r => Assert.Equal("UNAVAILABLE", r.Value.State));
        Assert.All(index.Values, r => Assert.DoesNotContain('\n', r.Reason));
        Assert.Contains("expected one .onnx file (model.onnx), got 2 (model-v2.onnx, model.onnx)", index["two"].Reason, StringComparison.Ordinal);
        Assert.Contains("expected an ONNX model (a ModelProto protobuf), got unreadable bytes", index["garbage"].Reason, StringComparison.Ordinal);
        Assert.Contains("graph.input[0].name: expected a name", index["noname"].Reason, StringComparison.Ordinal);
        Assert.Contains("got a version folder without a model", index["empty"].Reason, StringComparison.Ordinal);
        Assert.Contains("max_batch_sise", index["typo"].Reason, StringComparison.Ordinal);
        Assert.Contains("inputs[0].name: expected one of the graph's inputs: x, got \"image\"", index["contradicts"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infer_ExternalDataAndFp16Models_LoadFromGraphsAndAnswer()
    {
        using var service = new CustomService();
        DropInGraphs.WriteAddWeights(Path.Combine(service.RepositoryPath, "external", "1"), [-1, 3]);
        Write(service, "half/1/model.onnx", DropInGraphs.AddWeights([-1, 3], TensorProto.Types.DataType.Float16));
        var client = await service.StartAsync();
        Assert.True(service.Models.IsReady, service.Models.Readiness);

        var (external, externalStatus) = await V2Json.PostAsync(client, "/v2/models/external/infer", V2Json.Request(V2Json.Tensor("x", "FP32", [2, 3], new[] { 0f, 0f, 0f, 1f, 1f, 1f })));
        var input = new Tensor("x", TensorDataType.Fp16, [1, 3], new[] { (Float16)0.5f, (Float16)1f, (Float16)(-2f) });
        var half = await PostBinaryAsync(client, "half", input);

        Assert.Equal(HttpStatusCode.OK, externalStatus);
        Assert.Equal([1f, 2f, 3f, 2f, 3f, 4f], V2Json.Floats(external));
        Assert.Equal(new[] { (Float16)1.5f, (Float16)3f, (Float16)1f }, half);
    }

    [Fact]
    public async Task Start_StrictConfigWithoutConfigJson_UnavailableWithTheOldErrorOthersServe()
    {
        using var service = new CustomService(new() { ["ModelRepository:StrictConfig"] = "true" });
        Write(service, "bare/1/model.onnx", DropInGraphs.AddWeights([-1, 3]));
        service.AddRealModel("mnist");
        await service.StartAsync();

        var bare = service.Models.Find("bare", null, out _)!;

        Assert.Equal(Runtime.Repository.ModelState.Unavailable, bare.State);
        Assert.Contains("expected a config.json in every model folder (ModelRepository:StrictConfig is on), got no such file", bare.Reason, StringComparison.Ordinal);
        Assert.Equal(Runtime.Repository.ModelState.Ready, service.Models.Find("mnist", null, out _)!.State);
    }

    [Fact]
    public void Inspect_ModelFolderAndBadPath_PrintsConfigOrOneLineError()
    {
        using var service = new CustomService();
        Write(service, "half/1/model.onnx", DropInGraphs.AddWeights([-1, 3], TensorProto.Types.DataType.Float16));
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var badOutput = new StringWriter();
        using var badError = new StringWriter();

        var code = InspectCommand.Run(["inspect", Path.Combine(service.RepositoryPath, "half")], output, error);
        var badCode = InspectCommand.Run(["inspect", Path.Combine(service.RepositoryPath, "nothing")], badOutput, badError);

        Assert.Equal(0, code);
        Assert.Contains("  x  FP16 (ONNX FLOAT16)  [batch,3]", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"max_batch_size\": 64", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("  - input 'x' is FP16: JSON requests cannot carry FP16 values", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, error.ToString());
        Assert.Equal(1, badCode);
        Assert.Equal(string.Empty, badOutput.ToString());
        Assert.Single(badError.ToString().TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", badError.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_ProvisionedResNet18Folder_ShowsItsConfigAndGraph()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        // As the README runs it: relative to the repository root, from wherever `dotnet run` starts the process.
        var code = InspectCommand.Run(["inspect", "models/resnet18"], output, error);

        Assert.True(code == 0, error.ToString());
        Assert.Contains($"model: {Path.Combine(RepoPaths.Models, "resnet18", "1", "model.onnx")}", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("  Input247  FP32 (ONNX FLOAT)  [batch,3,224,224]", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"max_batch_size\": 8", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("warnings: none", output.ToString(), StringComparison.Ordinal);
    }

    private static void Write(CustomService service, string relative, byte[] bytes)
    {
        var full = Path.Combine(service.RepositoryPath, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
    }

    /// <summary>A deterministic 3x224x224 image in the model's input range (0-255 minus the mean).</summary>
    private static float[] Image(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)random.Next(0, 256) - 120f).ToArray();
    }

    private static string Dims(JsonNode tensor) => "[" + string.Join(",", tensor["dims"]!.AsArray().Select(d => d!.ToString())) + "]";

    /// <summary>One FP16 input as binary tensor data, the output asked for as binary too, decoded.</summary>
    private static async Task<Float16[]> PostBinaryAsync(HttpClient client, string model, Tensor input)
    {
        var binary = new ArrayBufferWriter<byte>();
        BinaryTensorData.Encode(input, binary);
        var header = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = input.Name,
                ["datatype"] = "FP16",
                ["shape"] = new JsonArray(input.Shape.Select(d => (JsonNode)d).ToArray()),
                ["parameters"] = new JsonObject { ["binary_data_size"] = binary.WrittenCount },
            }),
            ["parameters"] = new JsonObject { ["binary_data_output"] = true },
        };
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var content = new ByteArrayContent([.. headerBytes, .. binary.WrittenSpan]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", headerBytes.Length.ToString(CultureInfo.InvariantCulture));
        using var response = await client.PostAsync($"/v2/models/{model}/infer", content);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(bytes));
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), CultureInfo.InvariantCulture);
        var output = JsonNode.Parse(bytes.AsSpan(0, jsonLength))!["outputs"]![0]!;
        Assert.Equal("FP16", output["datatype"]!.GetValue<string>());
        return (Float16[])BinaryTensorData.Decode(TensorDataType.Fp16, 3, bytes.AsSpan(jsonLength), "y");
    }
}

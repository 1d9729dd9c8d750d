using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using InferenceService.Runtime.Protocol;
using InferenceService.Runtime.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Tests.Apis;

/// <summary>The binary tensor data extension through a generated model that echoes every datatype.</summary>
public sealed class BinaryTensorTests : IAsyncLifetime
{
    private readonly CustomService _service = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        IdentityModel.WriteTo(_service, "echo");
        _service.AddRealModel("minilm");
        _client = await _service.StartAsync();
        Assert.True(_service.Models.IsReady, _service.Models.Find("echo", null, out _)?.Reason);
    }

    public Task DisposeAsync()
    {
        _service.Dispose();
        return Task.CompletedTask;
    }

    private static Tensor[] Inputs() =>
    [
        new("in_BOOL", TensorDataType.Bool, [3], new[] { true, false, true }),
        new("in_UINT8", TensorDataType.UInt8, [3], new byte[] { 0, 7, 255 }),
        new("in_UINT16", TensorDataType.UInt16, [3], new ushort[] { 0, 7, 65535 }),
        new("in_UINT32", TensorDataType.UInt32, [3], new uint[] { 0, 7, uint.MaxValue }),
        new("in_UINT64", TensorDataType.UInt64, [3], new ulong[] { 0, 7, ulong.MaxValue }),
        new("in_INT8", TensorDataType.Int8, [3], new sbyte[] { -128, 0, 127 }),
        new("in_INT16", TensorDataType.Int16, [3], new short[] { short.MinValue, 0, short.MaxValue }),
        new("in_INT32", TensorDataType.Int32, [3], new[] { int.MinValue, 0, int.MaxValue }),
        new("in_INT64", TensorDataType.Int64, [3], new[] { long.MinValue, 0, long.MaxValue }),
        new("in_FP16", TensorDataType.Fp16, [3], new[] { (Float16)1.5f, (Float16)(-2f), (Float16)0f }),
        new("in_BF16", TensorDataType.Bf16, [3], new[] { (BFloat16)1.5f, (BFloat16)(-2f), (BFloat16)0f }),
        new("in_FP32", TensorDataType.Fp32, [3], new[] { 1.25f, -3.5e-8f, float.MaxValue }),
        new("in_FP64", TensorDataType.Fp64, [3], new[] { 1.25, -3.5e-300, double.MaxValue }),
        new("in_BYTES", TensorDataType.Bytes, [3], new[] { "a", string.Empty, "h\u00e9llo" }),
    ];

    /// <summary>A JSON header with binary_data_size per input, the binary data appended.</summary>
    private static (byte[] Body, int HeaderLength) BinaryRequest(IEnumerable<Tensor> inputs, bool binaryOutputs)
    {
        var binary = new ArrayBufferWriter<byte>();
        var array = new JsonArray();
        foreach (var input in inputs)
        {
            var before = binary.WrittenCount;
            BinaryTensorData.Encode(input, binary);
            array.Add(new JsonObject
            {
                ["name"] = input.Name,
                ["datatype"] = input.DataType.ToWireName(),
                ["shape"] = new JsonArray(input.Shape.Select(d => (JsonNode)d).ToArray()),
                ["parameters"] = new JsonObject { ["binary_data_size"] = binary.WrittenCount - before },
            });
        }

        var header = new JsonObject { ["inputs"] = array };
        if (binaryOutputs)
        {
            header["parameters"] = new JsonObject { ["binary_data_output"] = true };
        }

        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        return ([.. headerBytes, .. binary.WrittenSpan], headerBytes.Length);
    }

    private async Task<HttpResponseMessage> PostBinaryAsync(string model, byte[] body, string headerLength)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", headerLength);
        return await _client.PostAsync($"/v2/models/{model}/infer", content);
    }

    [Fact]
    public async Task Infer_BinaryInEveryDatatype_BinaryOutputsEqualInputsBitForBit()
    {
        var inputs = Inputs();
        var (body, headerLength) = BinaryRequest(inputs, binaryOutputs: true);

        using var response = await PostBinaryAsync("echo", body, headerLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var header = JsonNode.Parse(bytes.AsSpan(0, jsonLength))!;
        var offset = jsonLength;
        foreach (var output in header["outputs"]!.AsArray())
        {
            var name = output!["name"]!.GetValue<string>();
            var size = output["parameters"]!["binary_data_size"]!.GetValue<int>();
            var input = inputs.Single(i => i.Name == "in_" + name["out_".Length..]);
            TensorDataTypes.TryParse(output["datatype"]!.GetValue<string>(), out var type);
            var decoded = BinaryTensorData.Decode(type, 3, bytes.AsSpan(offset, size), name);
            Assert.Equal(input.Data, decoded);
            offset += size;
        }

        Assert.Equal(bytes.Length, offset);
    }

    [Fact]
    public async Task Infer_JsonAndBinaryInputs_GiveIdenticalJsonOutputs()
    {
        // The model needs all 14 inputs; FP16/BF16 can only travel as binary, so the "JSON" request mixes both.
        var inputs = Inputs();
        var halves = inputs.Where(i => i.DataType is TensorDataType.Fp16 or TensorDataType.Bf16).ToArray();
        var (mixedBinary, mixedHeaderLength) = BinaryRequest(halves, binaryOutputs: false);
        var mixedHeader = JsonNode.Parse(mixedBinary.AsSpan(0, mixedHeaderLength))!.AsObject();
        foreach (var input in inputs.Except(halves))
        {
            mixedHeader["inputs"]!.AsArray().Add(V2Json.Tensor(input.Name, input.DataType.ToWireName(), input.Shape, input.Data));
        }

        var mixedHeaderBytes = Encoding.UTF8.GetBytes(mixedHeader.ToJsonString());
        byte[] mixedBody = [.. mixedHeaderBytes, .. mixedBinary.AsSpan(mixedHeaderLength)];
        var (binaryBody, headerLength) = BinaryRequest(inputs, binaryOutputs: false);

        using var mixedResponse = await PostBinaryAsync("echo", mixedBody, mixedHeaderBytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var binaryResponse = await PostBinaryAsync("echo", binaryBody, headerLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var fromJson = JsonNode.Parse(await mixedResponse.Content.ReadAsStringAsync())!;
        var fromBinary = JsonNode.Parse(await binaryResponse.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, mixedResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, binaryResponse.StatusCode);
        Assert.Equal(fromJson["outputs"]!.ToJsonString(), fromBinary["outputs"]!.ToJsonString());
        var boolOutput = fromJson["outputs"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "out_BOOL")!;
        Assert.Equal("[true,false,true]", boolOutput["data"]!.ToJsonString());
        var uint64Output = fromJson["outputs"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "out_UINT64")!;
        Assert.Equal("[0,7,18446744073709551615]", uint64Output["data"]!.ToJsonString());
        var uint8Output = fromJson["outputs"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "out_UINT8")!;
        Assert.Equal("[0,7,255]", uint8Output["data"]!.ToJsonString());
    }

    [Fact]
    public async Task Infer_MiniLmBinaryVsJson_SameFloats()
    {
        long[] ids = [101, 2023, 2003, 1037, 3231, 1012, 102];
        var tensors = new[]
        {
            new Tensor("input_ids", TensorDataType.Int64, [1, 7], ids),
            new Tensor("attention_mask", TensorDataType.Int64, [1, 7], ids.Select(_ => 1L).ToArray()),
            new Tensor("token_type_ids", TensorDataType.Int64, [1, 7], new long[7]),
        };
        var (body, headerLength) = BinaryRequest(tensors, binaryOutputs: true);

        var (json, _) = await V2Json.PostAsync(_client, "/v2/models/minilm/infer", V2Json.MiniLm(ids));
        using var response = await PostBinaryAsync("minilm", body, headerLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var floats = (float[])BinaryTensorData.Decode(TensorDataType.Fp32, 7 * 384, bytes.AsSpan(jsonLength), "out");

        Assert.Equal(V2Json.Floats(json), floats);
    }

    [Theory]
    [InlineData(-2, "must be an integer")]
    [InlineData(1, "exceeds")]
    [InlineData(3, "add up to")]
    public async Task Infer_MalformedFraming_400(int delta, string message)
    {
        var input = new Tensor("in_INT32", TensorDataType.Int32, [3], new[] { 1, 2, 3 });
        var (body, headerLength) = BinaryRequest([input], binaryOutputs: false);
        var text = Encoding.UTF8.GetString(body, 0, headerLength);
        byte[] mangled = delta switch
        {
            -2 => body,
            1 => [.. Encoding.UTF8.GetBytes(text.Replace("\"binary_data_size\":12", "\"binary_data_size\":13", StringComparison.Ordinal)), .. body.AsSpan(headerLength)],
            _ => [.. body, 0, 0, 0],
        };

        using var response = await PostBinaryAsync("echo", mangled, delta == -2 ? "abc" : headerLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infer_TruncatedBytesElement_400()
    {
        var input = new Tensor("in_BYTES", TensorDataType.Bytes, [1], new[] { "hello" });
        var (body, headerLength) = BinaryRequest([input], binaryOutputs: false);
        var text = Encoding.UTF8.GetString(body, 0, headerLength).Replace("\"binary_data_size\":9", "\"binary_data_size\":7", StringComparison.Ordinal);
        byte[] truncated = [.. Encoding.UTF8.GetBytes(text), .. body.AsSpan(headerLength, 7)];

        using var response = await PostBinaryAsync("echo", truncated, Encoding.UTF8.GetByteCount(text).ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("declares 5 bytes, only 3 are left", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infer_RawBinaryOnMultiInputModel_400Explains()
    {
        using var response = await PostBinaryAsync("minilm", new byte[16], "0");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("needs a model with one input", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

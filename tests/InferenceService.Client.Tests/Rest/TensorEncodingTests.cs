using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace InferenceService.Client.Tests.Rest;

/// <summary>
/// The binary tensor extension's framing and element encodings for the datatypes MiniLM doesn't use (BYTES, BOOL,
/// FP16, UINT64, non-finite floats as JSON strings), checked byte for byte against a stub that answers as Triton does.
/// </summary>
public sealed class TensorEncodingTests
{
    [Fact]
    public async Task InferAsync_BinaryInputs_FramedAsTritonDocumentsIt()
    {
        var stub = new StubHandler(OkJson("""{"model_name":"m","model_version":"1","outputs":[]}"""));
        var client = new InferenceClient(new HttpClient(stub) { BaseAddress = new Uri("http://stub/prefix") });
        var request = new InferRequest(
            InferTensor.Create("s", [2], new[] { "héllo", string.Empty }),
            InferTensor.Create("b", [3], new[] { true, false, true }),
            InferTensor.Create("h", [1], new[] { (Half)1.5 }))
        { BinaryInputs = true };

        await client.InferAsync("m", request);

        var headerLength = int.Parse(stub.Request!.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var header = JsonNode.Parse(stub.Body.AsSpan(0, headerLength))!;
        byte[] expected = [6, 0, 0, 0, .. Encoding.UTF8.GetBytes("héllo"), 0, 0, 0, 0, 1, 0, 1, .. BitConverter.GetBytes((Half)1.5)];
        Assert.Equal("http://stub/prefix/v2/models/m/infer", stub.Request.RequestUri!.ToString());
        Assert.Equal("application/octet-stream", stub.Request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal([14, 3, 2], header["inputs"]!.AsArray().Select(i => i!["parameters"]!["binary_data_size"]!.GetValue<int>()));
        Assert.All(header["inputs"]!.AsArray(), i => Assert.Null(i!["data"]));
        Assert.Equal(expected, stub.Body[headerLength..]);
    }

    [Fact]
    public async Task InferAsync_MixedBinaryAndJsonOutputs_DecodedToTypedArrays()
    {
        var json = """
            {"model_name":"m","model_version":"2","id":"x","outputs":[
              {"name":"s","datatype":"BYTES","shape":[2],"parameters":{"binary_data_size":13}},
              {"name":"f","datatype":"FP32","shape":[3],"data":[1.5,"NaN","-Infinity"]},
              {"name":"b","datatype":"BOOL","shape":[3],"parameters":{"binary_data_size":3}},
              {"name":"u","datatype":"UINT64","shape":[1,1],"data":[[18446744073709551615]]}]}
            """u8.ToArray();
        var binary = new byte[13];
        BinaryPrimitives.WriteUInt32LittleEndian(binary, 5);
        "hello"u8.CopyTo(binary.AsSpan(4));
        BinaryPrimitives.WriteUInt32LittleEndian(binary.AsSpan(9), 0);
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([.. json, .. binary, 1, 0, 1]) };
        response.Headers.Add("Inference-Header-Content-Length", json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var client = new InferenceClient(new HttpClient(new StubHandler(response)) { BaseAddress = new Uri("http://stub") });

        var result = await client.InferAsync("m", new InferRequest(InferTensor.Create("x", [1], new[] { 1f })));

        Assert.Equal(("m", "2", "x"), (result.ModelName, result.ModelVersion, result.Id));
        Assert.Equal(["hello", string.Empty], result.GetOutput("s").GetData<string>());
        Assert.Equal([1.5f, float.NaN, float.NegativeInfinity], result.GetOutput("f").GetData<float>());
        Assert.Equal([true, false, true], result.GetOutput("b").GetData<bool>());
        Assert.Equal([ulong.MaxValue], result.GetOutput("u").GetData<ulong>());
        Assert.Throws<InvalidCastException>(() => result.GetOutput("u").GetData<long>());
    }

    [Fact]
    public void Create_ShapeAndDataDisagreeOrUnsupportedType_Refused()
    {
        Assert.Throws<ArgumentException>(() => InferTensor.Create("x", [2, 3], new float[5]));
        Assert.Throws<NotSupportedException>(() => InferTensor.Create("x", [1], new[] { DateTime.MinValue }));
    }

    [Fact]
    public async Task InferAsync_NaNAsJson_RefusedBeforeSending()
    {
        var stub = new StubHandler(OkJson("{}"));
        var client = new InferenceClient(new HttpClient(stub) { BaseAddress = new Uri("http://stub") });

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.InferAsync("m", new InferRequest(InferTensor.Create("x", [1], new[] { float.NaN }))));

        Assert.Contains("BinaryInputs", error.Message, StringComparison.Ordinal);
        Assert.Null(stub.Request);
    }

    private static HttpResponseMessage OkJson(string json) => new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private sealed class StubHandler(HttpResponseMessage response) : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        public byte[] Body { get; private set; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            return response;
        }
    }
}

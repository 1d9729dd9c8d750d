using System.Text;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Protocol;

namespace InferenceService.Runtime.Tests.Protocol;

public sealed class V2JsonRequestReaderTests
{
    private static V2InferRequest Read(string json) => V2JsonRequestReader.Read(Encoding.UTF8.GetBytes(json));

    private static string Input(string datatype, string shape, string data) =>
        $$"""{"inputs":[{"name":"x","datatype":"{{datatype}}","shape":{{shape}},"data":{{data}}}]}""";

    public static TheoryData<string, string, Array> EveryJsonType => new()
    {
        { "BOOL", "[true,false]", new[] { true, false } },
        { "UINT8", "[0,255]", new byte[] { 0, 255 } },
        { "UINT16", "[0,65535]", new ushort[] { 0, 65535 } },
        { "UINT32", "[0,4294967295]", new uint[] { 0, 4294967295 } },
        { "UINT64", "[0,18446744073709551615]", new ulong[] { 0, ulong.MaxValue } },
        { "INT8", "[-128,127]", new sbyte[] { -128, 127 } },
        { "INT16", "[-32768,32767]", new short[] { -32768, 32767 } },
        { "INT32", "[-2147483648,2147483647]", new[] { int.MinValue, int.MaxValue } },
        { "INT64", "[-9223372036854775808,9223372036854775807]", new[] { long.MinValue, long.MaxValue } },
        { "FP32", "[1.5,-0.25]", new[] { 1.5f, -0.25f } },
        { "FP64", "[1e300,-2.5]", new[] { 1e300, -2.5 } },
        { "BYTES", "[\"a\",\"\u00e9\"]", new[] { "a", "\u00e9" } },
    };

    [Theory]
    [MemberData(nameof(EveryJsonType))]
    public void Read_EveryJsonDatatype_DecodesExactValues(string datatype, string data, Array expected)
    {
        var request = Read(Input(datatype, "[2]", data));

        var tensor = Assert.Single(request.Inputs);
        Assert.Equal(expected, tensor.Data);
        Assert.Equal([2L], tensor.Shape);
    }

    [Fact]
    public void Read_NestedData_FlattensRowMajor()
    {
        var request = Read(Input("INT32", "[2,3]", "[[1,2,3],[4,5,6]]"));

        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, request.Inputs[0].As<int>());
    }

    [Fact]
    public void Read_IdOutputsAndParameters_AreKept()
    {
        var request = Read("""{"id":"r1","inputs":[],"outputs":[{"name":"b"},{"name":"a"}],"parameters":{"priority":2,"timeout":5000,"other":"x"}}""");

        Assert.Equal("r1", request.Id);
        Assert.Equal(["b", "a"], request.Outputs);
        Assert.Equal(new RequestParameters(2, 5000), request.Parameters);
    }

    [Theory]
    [InlineData("UINT8", "[1]", "[256]", "integer from 0 to 255")]
    [InlineData("INT8", "[1]", "[-129]", "integer from -128 to 127")]
    [InlineData("INT32", "[1]", "[1.5]", "INT32")]
    [InlineData("FP32", "[1]", "[1e39]", "within FP32 range")]
    [InlineData("FP32", "[1]", "[\"1\"]", "a number")]
    [InlineData("BOOL", "[1]", "[1]", "true or false")]
    [InlineData("BYTES", "[1]", "[1]", "a string")]
    [InlineData("FP16", "[1]", "[1]", "binary tensor data extension")]
    [InlineData("BF16", "[1]", "[1]", "binary tensor data extension")]
    [InlineData("FLOAT", "[1]", "[1]", "unknown datatype \"FLOAT\"")]
    [InlineData("FP32", "[2,2]", "[1,2,3]", "needs 4 elements, data has 3")]
    [InlineData("FP32", "[-1]", "[1]", "shape[0] must be a non-negative integer")]
    [InlineData("FP32", "[4294967296,4294967296]", "[1]", "too large")]
    [InlineData("FP32", "\"3\"", "[1]", "\"shape\", an array")]
    public void Read_BadTensor_IsBadRequestSayingWhatWasExpected(string datatype, string shape, string data, string expected)
    {
        var error = Assert.Throws<InferenceException>(() => Read(Input(datatype, shape, data)));

        Assert.Equal(InferenceErrorKind.BadRequest, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"inputs\":{}}")]
    [InlineData("{\"inputs\":[1]}")]
    [InlineData("{\"inputs\":[{\"name\":1}]}")]
    [InlineData("{\"inputs\":[],\"outputs\":[{}]}")]
    [InlineData("{\"inputs\":[],\"parameters\":{\"priority\":1.5}}")]
    [InlineData("{\"inputs\":[],\"parameters\":{\"timeout\":\"soon\"}}")]
    [InlineData("{\"inputs\":[],\"id\":5}")]
    public void Read_MalformedRequest_IsBadRequest(string json)
    {
        var error = Assert.Throws<InferenceException>(() => Read(json));

        Assert.Equal(InferenceErrorKind.BadRequest, error.Kind);
    }

    [Fact]
    public void Read_RandomMutations_OnlyEverThrowBadRequest()
    {
        var valid = Input("FP32", "[2,2]", "[[1,2],[3,4]]");
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(valid);
            var flips = random.Next(1, 4);
            for (var f = 0; f < flips; f++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(32, 127);
            }

            try
            {
                V2JsonRequestReader.Read(bytes);
            }
            catch (InferenceException e)
            {
                Assert.Equal(InferenceErrorKind.BadRequest, e.Kind);
            }
        }
    }
}

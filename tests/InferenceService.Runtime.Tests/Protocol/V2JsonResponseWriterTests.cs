using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using InferenceService.Runtime.Protocol;
using InferenceService.Runtime.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Runtime.Tests.Protocol;

public sealed class V2JsonResponseWriterTests
{
    [Fact]
    public void Write_RandomFloatBitPatterns_EachValueIsShortestRoundTripText()
    {
        // Uniform over bit patterns: every exponent, subnormals included, both signs; plus the ends.
        var random = new Random(20261126);
        var values = new List<float> { 0f, -0f, float.MaxValue, -float.MaxValue, float.Epsilon, -float.Epsilon, 1.17549435E-38f, 1f };
        while (values.Count < 200_000)
        {
            var value = BitConverter.Int32BitsToSingle(random.Next() | (random.Next(2) << 31));
            if (float.IsFinite(value))
            {
                values.Add(value);
            }
        }

        using var json = JsonDocument.Parse(WriteOutputs(Tensor.Create("y", TensorDataType.Fp32, [values.Count], values.ToArray())));

        var data = json.RootElement.GetProperty("outputs")[0].GetProperty("data");
        Assert.Equal(values.Count, data.GetArrayLength());
        var i = 0;
        foreach (var element in data.EnumerateArray())
        {
            var text = element.GetRawText();
            var expected = values[i++];
            Assert.Equal(expected.ToString("R", CultureInfo.InvariantCulture), text);
            Assert.Equal(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(float.Parse(text, CultureInfo.InvariantCulture)));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(129)]
    [InlineData(1000)]
    public void Write_Fp32WithNonFiniteValues_SameBytesAsValueByValueWriter(int count)
    {
        var random = new Random(count);
        var special = new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f };
        var values = Enumerable.Range(0, count).Select(i => i % 7 == 3 ? special[i % 4] : (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-12, 12)))).ToArray();

        var written = WriteOutputs(Tensor.Create("y", TensorDataType.Fp32, [count], values));

        Assert.Equal(ValueByValue("y", "FP32", count, w => { foreach (var v in values) { WriteReference(w, v); } }), written);
    }

    [Fact]
    public void Write_HalfPrecisionTypes_SameBytesAsValueByValueWriter()
    {
        var floats = Enumerable.Range(0, 300).Select(i => (i - 150) * 0.37f).Append(float.NaN).Append(float.NegativeInfinity).ToArray();
        var halves = floats.Select(f => (Float16)f).ToArray();
        var brains = floats.Select(f => (BFloat16)f).ToArray();

        Assert.Equal(
            ValueByValue("h", "FP16", halves.Length, w => { foreach (var v in halves) { WriteReference(w, v.ToFloat()); } }),
            WriteOutputs(Tensor.Create("h", TensorDataType.Fp16, [halves.Length], halves)));
        Assert.Equal(
            ValueByValue("b", "BF16", brains.Length, w => { foreach (var v in brains) { WriteReference(w, v.ToFloat()); } }),
            WriteOutputs(Tensor.Create("b", TensorDataType.Bf16, [brains.Length], brains)));
    }

    [Fact]
    public void Write_TwoFp32Outputs_SeparatedAsJson()
    {
        var written = WriteOutputs(
            Tensor.Create("a", TensorDataType.Fp32, [2], new[] { 1.5f, float.NaN }),
            Tensor.Create("b", TensorDataType.Fp32, [1], new[] { -0.25f }));

        Assert.Equal(
            """{"model_name":"m","model_version":"1","outputs":[{"name":"a","datatype":"FP32","shape":[2],"data":[1.5,"NaN"]},{"name":"b","datatype":"FP32","shape":[1],"data":[-0.25]}]}""",
            written);
    }

    private static string WriteOutputs(params Tensor[] outputs)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            V2JsonResponseWriter.Write(writer, "m", 1, null, outputs);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The response as the writer produced it one value at a time with Utf8JsonWriter (its behaviour before runs of raw values).</summary>
    private static string ValueByValue(string name, string datatype, int count, Action<Utf8JsonWriter> writeData)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model_name", "m");
            writer.WriteString("model_version", "1");
            writer.WriteStartArray("outputs");
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteString("datatype", datatype);
            writer.WriteStartArray("shape");
            writer.WriteNumberValue(count);
            writer.WriteEndArray();
            writer.WriteStartArray("data");
            writeData(writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteReference(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }
}

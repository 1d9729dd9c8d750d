using System.Globalization;
using System.Text.Json;

namespace InferenceService.Client;

/// <summary>A tensor's <c>data</c> in the protocol's JSON form: a flat array of numbers, booleans or strings.</summary>
internal static class JsonTensorCodec
{
    public static void WriteData(Utf8JsonWriter writer, InferTensor tensor)
    {
        writer.WriteStartArray();
        switch (tensor.Data)
        {
            case float[] values:
                foreach (var v in values)
                {
                    writer.WriteNumberValue(float.IsFinite(v) ? v : throw NotFinite(tensor));
                }

                break;
            case double[] values:
                foreach (var v in values)
                {
                    writer.WriteNumberValue(double.IsFinite(v) ? v : throw NotFinite(tensor));
                }

                break;
            case Half[]:
                throw new ArgumentException($"Tensor '{tensor.Name}' is FP16, which the protocol's JSON cannot carry; send it with BinaryInputs = true.");
            case long[] values: foreach (var v in values) { writer.WriteNumberValue(v); } break;
            case int[] values: foreach (var v in values) { writer.WriteNumberValue(v); } break;
            case short[] values: foreach (var v in values) { writer.WriteNumberValue(v); } break;
            case sbyte[] values: foreach (var v in values) { writer.WriteNumberValue(v); } break;
            case ulong[] values: foreach (var v in values) { writer.WriteNumberValue(v); } break;
            case uint[] values: foreach (var v in values) { writer.WriteNumberValue(v); } break;
            case ushort[] values: foreach (var v in values) { writer.WriteNumberValue(v); } break;
            case byte[] values: foreach (var v in values) { writer.WriteNumberValue(v); } break;
            case bool[] values: foreach (var v in values) { writer.WriteBooleanValue(v); } break;
            case string[] values: foreach (var v in values) { writer.WriteStringValue(v); } break;
            default: throw new NotSupportedException($"Tensor '{tensor.Name}' holds {tensor.Data.GetType().Name}.");
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads <paramref name="count"/> elements (flat or nested) of <paramref name="datatype"/>.</summary>
    public static Array ReadData(JsonElement data, string datatype, int count, string name)
    {
        var leaves = new List<JsonElement>(count);
        Flatten(data, leaves);
        if (leaves.Count != count)
        {
            throw new InvalidDataException($"Output '{name}': its shape holds {count} elements, data has {leaves.Count}.");
        }

        return datatype switch
        {
            TensorDatatypes.Fp32 => leaves.Select(Single).ToArray(),
            TensorDatatypes.Fp64 => leaves.Select(Floating).ToArray(),
            TensorDatatypes.Fp16 => leaves.Select(e => (Half)Floating(e)).ToArray(),
            TensorDatatypes.Int64 => leaves.Select(e => e.GetInt64()).ToArray(),
            TensorDatatypes.Int32 => leaves.Select(e => e.GetInt32()).ToArray(),
            TensorDatatypes.Int16 => leaves.Select(e => e.GetInt16()).ToArray(),
            TensorDatatypes.Int8 => leaves.Select(e => e.GetSByte()).ToArray(),
            TensorDatatypes.UInt64 => leaves.Select(e => e.GetUInt64()).ToArray(),
            TensorDatatypes.UInt32 => leaves.Select(e => e.GetUInt32()).ToArray(),
            TensorDatatypes.UInt16 => leaves.Select(e => e.GetUInt16()).ToArray(),
            TensorDatatypes.UInt8 => leaves.Select(e => e.GetByte()).ToArray(),
            TensorDatatypes.Bool => leaves.Select(e => e.GetBoolean()).ToArray(),
            TensorDatatypes.Bytes => leaves.Select(e => e.GetString()!).ToArray(),
            _ => throw new NotSupportedException($"Output '{name}' is {datatype}, which this client cannot hold; supported: {TensorDatatypes.Supported}."),
        };
    }

    private static void Flatten(JsonElement element, List<JsonElement> leaves)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            leaves.Add(element);
            return;
        }

        foreach (var item in element.EnumerateArray())
        {
            Flatten(item, leaves);
        }
    }

    // JSON has no NaN or infinity: servers write them as strings ("NaN", "Infinity", "-Infinity").
    private static double Floating(JsonElement element) => element.ValueKind == JsonValueKind.String
        ? double.Parse(element.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
        : element.GetDouble();

    // Parsed as float directly: through double, a value could round twice.
    private static float Single(JsonElement element) => element.ValueKind == JsonValueKind.String
        ? float.Parse(element.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
        : element.GetSingle();

    private static ArgumentException NotFinite(InferTensor tensor) =>
        new($"Tensor '{tensor.Name}' has a NaN or infinite element, which JSON numbers cannot carry; send it with BinaryInputs = true.");
}

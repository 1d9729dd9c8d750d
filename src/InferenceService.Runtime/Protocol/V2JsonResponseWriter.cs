using System.Text.Json;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Protocol;

/// <summary>Writes a V2 infer response. Floats use the shortest text that round-trips; non-finite values are written as strings.</summary>
public static class V2JsonResponseWriter
{
    /// <summary>Writes the response; outputs for which <paramref name="isBinary"/> is true get <c>binary_data_size</c> instead of data.</summary>
    public static void Write(Utf8JsonWriter writer, string modelName, long modelVersion, string? id, IReadOnlyList<Tensor> outputs, Func<string, bool>? isBinary = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("model_name", modelName);
        writer.WriteString("model_version", modelVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (id is not null)
        {
            writer.WriteString("id", id);
        }

        writer.WriteStartArray("outputs");
        foreach (var output in outputs)
        {
            writer.WriteStartObject();
            writer.WriteString("name", output.Name);
            writer.WriteString("datatype", output.DataType.ToWireName());
            writer.WriteStartArray("shape");
            foreach (var dim in output.Shape)
            {
                writer.WriteNumberValue(dim);
            }

            writer.WriteEndArray();
            if (isBinary?.Invoke(output.Name) == true)
            {
                writer.WriteStartObject("parameters");
                writer.WriteNumber("binary_data_size", BinaryTensorData.SizeOf(output));
                writer.WriteEndObject();
            }
            else
            {
                writer.WritePropertyName("data");
                WriteData(writer, output);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter writer, Tensor tensor)
    {
        writer.WriteStartArray();

        // Switch on the declared type, not the array: the CLR lets a ulong[] match a long[] pattern (and so on).
        switch (tensor.DataType)
        {
            case TensorDataType.Fp32: FloatJsonElements.Write(writer, (float[])tensor.Data); break;
            case TensorDataType.Fp64:
                foreach (var v in (double[])tensor.Data)
                {
                    WriteFloating(writer, v);
                }

                break;
            case TensorDataType.Int64: foreach (var v in (long[])tensor.Data) { writer.WriteNumberValue(v); } break;
            case TensorDataType.Int32: foreach (var v in (int[])tensor.Data) { writer.WriteNumberValue(v); } break;
            case TensorDataType.Int16: foreach (var v in (short[])tensor.Data) { writer.WriteNumberValue(v); } break;
            case TensorDataType.Int8: foreach (var v in (sbyte[])tensor.Data) { writer.WriteNumberValue(v); } break;
            case TensorDataType.UInt64: foreach (var v in (ulong[])tensor.Data) { writer.WriteNumberValue(v); } break;
            case TensorDataType.UInt32: foreach (var v in (uint[])tensor.Data) { writer.WriteNumberValue(v); } break;
            case TensorDataType.UInt16: foreach (var v in (ushort[])tensor.Data) { writer.WriteNumberValue(v); } break;
            case TensorDataType.UInt8: foreach (var v in (byte[])tensor.Data) { writer.WriteNumberValue(v); } break;
            case TensorDataType.Bool: foreach (var v in (bool[])tensor.Data) { writer.WriteBooleanValue(v); } break;
            case TensorDataType.Bytes: foreach (var v in (string[])tensor.Data) { writer.WriteStringValue(v); } break;
            case TensorDataType.Fp16: FloatJsonElements.Write(writer, (Microsoft.ML.OnnxRuntime.Float16[])tensor.Data); break;
            case TensorDataType.Bf16: FloatJsonElements.Write(writer, (Microsoft.ML.OnnxRuntime.BFloat16[])tensor.Data); break;
            default: throw new NotSupportedException(tensor.DataType.ToString());
        }

        writer.WriteEndArray();
    }

    private static void WriteFloating(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}

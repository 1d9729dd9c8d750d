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
        switch (tensor.Data)
        {
            case float[] a:
                foreach (var v in a)
                {
                    if (float.IsFinite(v))
                    {
                        writer.WriteNumberValue(v);
                    }
                    else
                    {
                        writer.WriteStringValue(v.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                }

                break;
            case double[] a:
                foreach (var v in a)
                {
                    if (double.IsFinite(v))
                    {
                        writer.WriteNumberValue(v);
                    }
                    else
                    {
                        writer.WriteStringValue(v.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                }

                break;
            case long[] a: foreach (var v in a) { writer.WriteNumberValue(v); } break;
            case int[] a: foreach (var v in a) { writer.WriteNumberValue(v); } break;
            case short[] a: foreach (var v in a) { writer.WriteNumberValue(v); } break;
            case sbyte[] a: foreach (var v in a) { writer.WriteNumberValue(v); } break;
            case ulong[] a: foreach (var v in a) { writer.WriteNumberValue(v); } break;
            case uint[] a: foreach (var v in a) { writer.WriteNumberValue(v); } break;
            case ushort[] a: foreach (var v in a) { writer.WriteNumberValue(v); } break;
            case byte[] a: foreach (var v in a) { writer.WriteNumberValue(v); } break;
            case bool[] a: foreach (var v in a) { writer.WriteBooleanValue(v); } break;
            case string[] a: foreach (var v in a) { writer.WriteStringValue(v); } break;
            case Microsoft.ML.OnnxRuntime.Float16[] a: foreach (var v in a) { writer.WriteNumberValue((float)v.ToFloat()); } break;
            case Microsoft.ML.OnnxRuntime.BFloat16[] a: foreach (var v in a) { writer.WriteNumberValue((float)v.ToFloat()); } break;
            default: throw new NotSupportedException(tensor.DataType.ToString());
        }

        writer.WriteEndArray();
    }
}

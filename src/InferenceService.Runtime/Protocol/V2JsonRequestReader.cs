using System.Globalization;
using System.Text.Json;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;


namespace InferenceService.Runtime.Protocol;

/// <summary>
/// Decodes a V2 JSON infer request. Every problem is a <see cref="InferenceErrorKind.BadRequest"/> whose message
/// says what was expected; nothing a client sends can make it throw anything else.
/// </summary>
public static class V2JsonRequestReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>
    /// Decodes the JSON part of a request; inputs whose parameters carry <c>binary_data_size</c> take their data,
    /// in order, from <paramref name="binary"/> (the binary tensor data extension), which must be used up exactly.
    /// </summary>
    public static V2InferRequest Read(ReadOnlyMemory<byte> body, ReadOnlyMemory<byte> binary = default)
    {
        // JsonDocument does not validate the bytes inside strings; reading a name later would throw (a 500).
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            throw Bad("The JSON body is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw Bad($"The body is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Bad("The body must be a JSON object with an \"inputs\" array.");
            }

            string? id = null;
            if (root.TryGetProperty("id", out var idElement))
            {
                id = idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : throw Bad("\"id\" must be a string.");
            }

            if (!root.TryGetProperty("inputs", out var inputsElement) || inputsElement.ValueKind != JsonValueKind.Array)
            {
                throw Bad("The request must have an \"inputs\" array.");
            }

            var inputs = new List<Tensor>(inputsElement.GetArrayLength());
            var index = 0;
            var offset = 0;
            foreach (var input in inputsElement.EnumerateArray())
            {
                inputs.Add(ReadInput(input, index++, binary.Span, ref offset));
            }

            if (offset != binary.Length)
            {
                throw Bad($"The binary part has {binary.Length} bytes but the inputs' binary_data_size add up to {offset}.");
            }

            var binaryOutputs = new HashSet<string>(StringComparer.Ordinal);

            List<string>? outputs = null;
            if (root.TryGetProperty("outputs", out var outputsElement))
            {
                if (outputsElement.ValueKind != JsonValueKind.Array)
                {
                    throw Bad("\"outputs\" must be an array of {\"name\": ...} objects.");
                }

                outputs = [];
                foreach (var output in outputsElement.EnumerateArray())
                {
                    if (output.ValueKind != JsonValueKind.Object || !output.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                    {
                        throw Bad("Each element of \"outputs\" must be an object with a string \"name\".");
                    }

                    outputs.Add(name.GetString()!);
                    if (output.TryGetProperty("parameters", out var outputParameters) && IsTrue(outputParameters, "binary_data"))
                    {
                        binaryOutputs.Add(name.GetString()!);
                    }
                }
            }

            long? priority = null;
            long? timeout = null;
            var allBinary = false;
            if (root.TryGetProperty("parameters", out var parameters))
            {
                if (parameters.ValueKind != JsonValueKind.Object)
                {
                    throw Bad("\"parameters\" must be an object.");
                }

                allBinary = IsTrue(parameters, "binary_data_output");

                if (parameters.TryGetProperty("priority", out var p))
                {
                    // Only the type is checked here; the range is checked with the model, alike for every protocol.
                    priority = p.ValueKind == JsonValueKind.Number && p.TryGetInt64(out var v) ? v : throw Bad("parameters.priority must be an integer (0 = the model's default level).");
                }

                if (parameters.TryGetProperty("timeout", out var t))
                {
                    timeout = t.ValueKind == JsonValueKind.Number && t.TryGetInt64(out var v) ? v : throw Bad("parameters.timeout must be an integer number of microseconds (0 = the model's default).");
                }
            }

            return new V2InferRequest
            {
                Id = id,
                Inputs = inputs,
                Outputs = outputs,
                Parameters = new RequestParameters(priority, timeout),
                BinaryOutputs = binaryOutputs,
                AllOutputsBinary = allBinary,
            };
        }
    }

    private static bool IsTrue(JsonElement parameters, string name) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out var value) && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Bad($"parameters.{name} must be true or false."),
        };

    private static Tensor ReadInput(JsonElement input, int index, ReadOnlySpan<byte> binary, ref int offset)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw Bad($"inputs[{index}] must be an object with name, shape, datatype and data.");
        }

        var name = input.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : throw Bad($"inputs[{index}] needs a string \"name\".");
        var where = $"input '{name}'";
        var typeName = input.TryGetProperty("datatype", out var dt) && dt.ValueKind == JsonValueKind.String ? dt.GetString() : throw Bad($"{where} needs a string \"datatype\" (one of {TensorDataTypes.AllNames}).");
        if (!TensorDataTypes.TryParse(typeName, out var type))
        {
            throw Bad($"{where}: unknown datatype \"{typeName}\"; expected one of {TensorDataTypes.AllNames}.");
        }

        var shape = ReadShape(input, where);
        if (!TensorShape.TryGetElementCount(shape, out var count))
        {
            throw Bad($"{where}: shape {TensorShape.Format(shape)} is too large (more than {Array.MaxLength} elements).");
        }

        if (input.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("binary_data_size", out var sizeElement))
        {
            if (sizeElement.ValueKind != JsonValueKind.Number || !sizeElement.TryGetInt32(out var size) || size < 0)
            {
                throw Bad($"{where}: parameters.binary_data_size must be a non-negative integer.");
            }

            if (size > binary.Length - offset)
            {
                throw Bad($"{where}: binary_data_size {size} exceeds the {binary.Length - offset} bytes left in the binary part (truncated body?).");
            }

            if (input.TryGetProperty("data", out _))
            {
                throw Bad($"{where}: give either \"data\" or parameters.binary_data_size, not both.");
            }

            var decoded = BinaryTensorData.Decode(type, count, binary.Slice(offset, size), where);
            offset += size;
            return new Tensor(name, type, shape, decoded);
        }

        if (type is TensorDataType.Fp16 or TensorDataType.Bf16)
        {
            throw Bad($"{where}: {typeName} tensors cannot be sent as JSON numbers; send them with the binary tensor data extension.");
        }

        if (!input.TryGetProperty("data", out var data))
        {
            throw Bad($"{where} needs \"data\" (flat or nested array of {count} {typeName} values).");
        }

        var actual = CountLeaves(data, where, 0);
        if (actual != count)
        {
            throw Bad($"{where}: shape {TensorShape.Format(shape)} needs {count} elements, data has {actual}.");
        }

        var values = Array.CreateInstance(type == TensorDataType.Bytes ? typeof(string) : type.ElementType(), count);
        var position = 0;
        Fill(data, type, values, ref position, where);
        return new Tensor(name, type, shape, values);
    }

    private static long[] ReadShape(JsonElement input, string where)
    {
        if (!input.TryGetProperty("shape", out var s) || s.ValueKind != JsonValueKind.Array)
        {
            throw Bad($"{where} needs \"shape\", an array of non-negative integers.");
        }

        var shape = new long[s.GetArrayLength()];
        var i = 0;
        foreach (var dim in s.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var value) || value < 0)
            {
                throw Bad($"{where}: shape[{i}] must be a non-negative integer, got {dim.GetRawText()}.");
            }

            shape[i++] = value;
        }

        return shape;
    }

    private static long CountLeaves(JsonElement element, string where, int depth)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return 1;
        }

        if (depth > 32)
        {
            throw Bad($"{where}: data is nested more than 32 levels deep.");
        }

        long count = 0;
        foreach (var item in element.EnumerateArray())
        {
            count += CountLeaves(item, where, depth + 1);
        }

        return count;
    }

    private static void Fill(JsonElement element, TensorDataType type, Array values, ref int position, string where)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Fill(item, type, values, ref position, where);
            }

            return;
        }

        var i = position++;
        switch (type)
        {
            case TensorDataType.Bool:
                ((bool[])values)[i] = element.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Element(where, i, element, "true or false"),
                };
                break;
            case TensorDataType.UInt8: ((byte[])values)[i] = (byte)Unsigned(element, where, i, byte.MaxValue, "UINT8"); break;
            case TensorDataType.UInt16: ((ushort[])values)[i] = (ushort)Unsigned(element, where, i, ushort.MaxValue, "UINT16"); break;
            case TensorDataType.UInt32: ((uint[])values)[i] = (uint)Unsigned(element, where, i, uint.MaxValue, "UINT32"); break;
            case TensorDataType.UInt64: ((ulong[])values)[i] = Unsigned(element, where, i, ulong.MaxValue, "UINT64"); break;
            case TensorDataType.Int8: ((sbyte[])values)[i] = (sbyte)Signed(element, where, i, sbyte.MinValue, sbyte.MaxValue, "INT8"); break;
            case TensorDataType.Int16: ((short[])values)[i] = (short)Signed(element, where, i, short.MinValue, short.MaxValue, "INT16"); break;
            case TensorDataType.Int32: ((int[])values)[i] = (int)Signed(element, where, i, int.MinValue, int.MaxValue, "INT32"); break;
            case TensorDataType.Int64: ((long[])values)[i] = Signed(element, where, i, long.MinValue, long.MaxValue, "INT64"); break;
            case TensorDataType.Fp32:
                ((float[])values)[i] = element.ValueKind == JsonValueKind.Number && element.TryGetSingle(out var f) && float.IsFinite(f)
                    ? f : throw Element(where, i, element, "a number within FP32 range");
                break;
            case TensorDataType.Fp64:
                ((double[])values)[i] = element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var d)
                    ? d : throw Element(where, i, element, "a number within FP64 range");
                break;
            case TensorDataType.Bytes:
                ((string[])values)[i] = element.ValueKind == JsonValueKind.String ? element.GetString()! : throw Element(where, i, element, "a string");
                break;
            default:
                throw Bad($"{where}: datatype {type.ToWireName()} is not supported in JSON.");
        }
    }

    private static ulong Unsigned(JsonElement element, string where, int i, ulong max, string type) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetUInt64(out var v) && v <= max
            ? v : throw Element(where, i, element, $"an integer from 0 to {max.ToString(CultureInfo.InvariantCulture)} ({type})");

    private static long Signed(JsonElement element, string where, int i, long min, long max, string type) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var v) && v >= min && v <= max
            ? v : throw Element(where, i, element, $"an integer from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} ({type})");

    private static InferenceException Element(string where, int index, JsonElement element, string expected)
    {
        var text = element.GetRawText();
        return Bad($"{where}: data[{index}] must be {expected}, got {(text.Length > 40 ? text[..40] + "..." : text)}.");
    }

    private static InferenceException Bad(string message) => InferenceException.BadRequest(message);

}

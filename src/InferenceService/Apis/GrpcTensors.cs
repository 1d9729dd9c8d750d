using System.Buffers;
using Google.Protobuf;
using InferenceService.Grpc;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Protocol;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Apis;

/// <summary>gRPC tensors ⇄ runtime tensors: typed <c>contents</c> or <c>raw_input_contents</c> in, raw contents out.</summary>
internal static class GrpcTensors
{
    public static List<Tensor> ReadInputs(ModelInferRequest request)
    {
        var raw = request.RawInputContents;
        if (raw.Count > 0 && raw.Count != request.Inputs.Count)
        {
            throw InferenceException.BadRequest($"raw_input_contents has {raw.Count} entries for {request.Inputs.Count} inputs; give one per input or none.");
        }

        var tensors = new List<Tensor>(request.Inputs.Count);
        for (var i = 0; i < request.Inputs.Count; i++)
        {
            var input = request.Inputs[i];
            var where = $"input '{input.Name}'";
            if (!TensorDataTypes.TryParse(input.Datatype, out var type))
            {
                throw InferenceException.BadRequest($"{where}: unknown datatype \"{input.Datatype}\"; expected one of {TensorDataTypes.AllNames}.");
            }

            var shape = input.Shape.ToArray();
            if (shape.Any(d => d < 0) || !TensorShape.TryGetElementCount(shape, out var count))
            {
                throw InferenceException.BadRequest($"{where}: shape {TensorShape.Format(shape)} must have non-negative dims and fewer than {Array.MaxLength} elements.");
            }

            var data = raw.Count > 0
                ? BinaryTensorData.Decode(type, count, raw[i].Span, where)
                : FromContents(input.Contents ?? new InferTensorContents(), type, count, where);
            tensors.Add(new Tensor(input.Name, type, shape, data));
        }

        return tensors;
    }

    public static void WriteOutputs(ModelInferResponse response, IReadOnlyList<Tensor> outputs)
    {
        foreach (var output in outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = output.Name, Datatype = output.DataType.ToWireName() };
            tensor.Shape.AddRange(output.Shape);
            response.Outputs.Add(tensor);
            var buffer = new ArrayBufferWriter<byte>((int)Math.Max(1, BinaryTensorData.SizeOf(output)));
            BinaryTensorData.Encode(output, buffer);
            response.RawOutputContents.Add(ByteString.CopyFrom(buffer.WrittenSpan));
        }
    }

    private static Array FromContents(InferTensorContents c, TensorDataType type, int count, string where)
    {
        Array data = type switch
        {
            TensorDataType.Bool => c.BoolContents.ToArray(),
            TensorDataType.UInt8 => c.UintContents.Select(v => v <= byte.MaxValue ? (byte)v : throw Range(where, v, "UINT8")).ToArray(),
            TensorDataType.UInt16 => c.UintContents.Select(v => v <= ushort.MaxValue ? (ushort)v : throw Range(where, v, "UINT16")).ToArray(),
            TensorDataType.UInt32 => c.UintContents.ToArray(),
            TensorDataType.UInt64 => c.Uint64Contents.ToArray(),
            TensorDataType.Int8 => c.IntContents.Select(v => v is >= sbyte.MinValue and <= sbyte.MaxValue ? (sbyte)v : throw Range(where, v, "INT8")).ToArray(),
            TensorDataType.Int16 => c.IntContents.Select(v => v is >= short.MinValue and <= short.MaxValue ? (short)v : throw Range(where, v, "INT16")).ToArray(),
            TensorDataType.Int32 => c.IntContents.ToArray(),
            TensorDataType.Int64 => c.Int64Contents.ToArray(),
            TensorDataType.Fp32 => c.Fp32Contents.ToArray(),
            TensorDataType.Fp64 => c.Fp64Contents.ToArray(),
            TensorDataType.Bytes => c.BytesContents.Select(b => b.ToStringUtf8()).ToArray(),
            _ => throw InferenceException.BadRequest($"{where}: {type.ToWireName()} has no typed contents field; send it in raw_input_contents."),
        };

        if (data.Length != count)
        {
            throw InferenceException.BadRequest($"{where}: shape needs {count} elements, contents has {data.Length} (for {type.ToWireName()} use {FieldFor(type)}).");
        }

        return data;
    }

    private static string FieldFor(TensorDataType type) => type switch
    {
        TensorDataType.Bool => "bool_contents",
        TensorDataType.UInt8 or TensorDataType.UInt16 or TensorDataType.UInt32 => "uint_contents",
        TensorDataType.UInt64 => "uint64_contents",
        TensorDataType.Int8 or TensorDataType.Int16 or TensorDataType.Int32 => "int_contents",
        TensorDataType.Int64 => "int64_contents",
        TensorDataType.Fp32 => "fp32_contents",
        TensorDataType.Fp64 => "fp64_contents",
        _ => "bytes_contents",
    };

    private static InferenceException Range(string where, long value, string type) =>
        InferenceException.BadRequest($"{where}: {value} is out of range for {type}.");
}

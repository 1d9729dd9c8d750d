using Google.Protobuf;
using InferenceService.Runtime.Tensors;
using InferenceService.Tests.Shared;
using Onnx;

namespace InferenceService.Runtime.Tests.Sessions;

/// <summary>
/// ONNX graphs small enough to work out by hand (opset 17), built in code so the session tests run real ONNX Runtime
/// sessions without provisioned weights. A dim of -1 is symbolic.
/// </summary>
internal static class TinyGraphs
{
    /// <summary><c>y = x + 1</c>, x and y FP32 [batch, 4]; <paramref name="batch"/> -1 leaves the batch dim symbolic.</summary>
    public static byte[] AddOne(long batch = -1)
    {
        var graph = new GraphProto { Name = "add_one" };
        graph.Input.Add(Value("x", TensorProto.Types.DataType.Float, batch, 4));
        graph.Output.Add(Value("y", TensorProto.Types.DataType.Float, batch, 4));
        var one = new TensorProto { Name = "one", DataType = (int)TensorProto.Types.DataType.Float };
        one.FloatData.Add(1f);
        graph.Initializer.Add(one);
        graph.Node.Add(OnnxNodes.Node("Add", ["x", "one"], "y"));
        return Serialize(graph);
    }

    /// <summary><c>out = in</c>, both [n] of the ONNX type that carries <paramref name="type"/>.</summary>
    public static byte[] Identity(TensorDataType type)
    {
        var graph = new GraphProto { Name = "identity" };
        graph.Input.Add(Value("in", OnnxType(type), -1));
        graph.Output.Add(Value("out", OnnxType(type), -1));
        graph.Node.Add(OnnxNodes.Node("Identity", ["in"], "out"));
        return Serialize(graph);
    }

    /// <summary>
    /// <c>y = Reshape(x, [2, 2])</c>, x FP32 of <paramref name="inputDims"/>: ONNX Runtime refuses any run where x
    /// does not hold exactly 4 elements, which makes the shape a run was given observable.
    /// </summary>
    public static byte[] ReshapeToTwoByTwo(params long[] inputDims)
    {
        var graph = new GraphProto { Name = "reshape" };
        graph.Input.Add(Value("x", TensorProto.Types.DataType.Float, inputDims));
        graph.Output.Add(Value("y", TensorProto.Types.DataType.Float, 2, 2));
        var shape = new TensorProto { Name = "shape", DataType = (int)TensorProto.Types.DataType.Int64 };
        shape.Dims.Add(2);
        shape.Int64Data.Add([2, 2]);
        graph.Initializer.Add(shape);
        graph.Node.Add(OnnxNodes.Node("Reshape", ["x", "shape"], "y"));
        return Serialize(graph);
    }

    /// <summary><c>y = Cast(x)</c>, x FP32 [n] to y FP16 [n].</summary>
    public static byte[] CastToFloat16()
    {
        var graph = new GraphProto { Name = "cast" };
        graph.Input.Add(Value("x", TensorProto.Types.DataType.Float, -1));
        graph.Output.Add(Value("y", TensorProto.Types.DataType.Float16, -1));
        graph.Node.Add(OnnxNodes.Node("Cast", ["x"], "y", new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (int)TensorProto.Types.DataType.Float16 }));
        return Serialize(graph);
    }

    public static TensorProto.Types.DataType OnnxType(TensorDataType type) => type switch
    {
        TensorDataType.Bool => TensorProto.Types.DataType.Bool,
        TensorDataType.UInt8 => TensorProto.Types.DataType.Uint8,
        TensorDataType.UInt16 => TensorProto.Types.DataType.Uint16,
        TensorDataType.UInt32 => TensorProto.Types.DataType.Uint32,
        TensorDataType.UInt64 => TensorProto.Types.DataType.Uint64,
        TensorDataType.Int8 => TensorProto.Types.DataType.Int8,
        TensorDataType.Int16 => TensorProto.Types.DataType.Int16,
        TensorDataType.Int32 => TensorProto.Types.DataType.Int32,
        TensorDataType.Int64 => TensorProto.Types.DataType.Int64,
        TensorDataType.Fp16 => TensorProto.Types.DataType.Float16,
        TensorDataType.Bf16 => TensorProto.Types.DataType.Bfloat16,
        TensorDataType.Fp32 => TensorProto.Types.DataType.Float,
        TensorDataType.Fp64 => TensorProto.Types.DataType.Double,
        TensorDataType.Bytes => TensorProto.Types.DataType.String,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static byte[] Serialize(GraphProto graph) => OnnxNodes.Serialize(graph, "InferenceService.Runtime.Tests");

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, params long[] dims)
    {
        var shape = new TensorShapeProto();
        for (var i = 0; i < dims.Length; i++)
        {
            shape.Dim.Add(dims[i] < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "d" + i } : new TensorShapeProto.Types.Dimension { DimValue = dims[i] });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }
}

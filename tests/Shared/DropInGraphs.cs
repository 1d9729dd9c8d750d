using Google.Protobuf;
using Onnx;

namespace InferenceService.Tests.Shared;

/// <summary>
/// ONNX files as a user would drop them into a repository without a config.json (opset 17): a dim of -1 is symbolic.
/// Small enough to work out the answers by hand.
/// </summary>
internal static class DropInGraphs
{
    public const string Producer = "drop-in-tests";

    /// <summary>
    /// <c>y = x + w</c>, x and y of <paramref name="type"/> (Float or Float16) with shape <paramref name="dims"/>, w the
    /// constants 1, 2, ... of the last dim. <paramref name="externalData"/>: w is stored in that file next to the
    /// model (ONNX external data), which <see cref="WriteAddWeights"/> writes.
    /// </summary>
    public static byte[] AddWeights(long[] dims, TensorProto.Types.DataType type = TensorProto.Types.DataType.Float, string? externalData = null, string? inputName = "x")
    {
        var width = dims[^1];
        var graph = new GraphProto { Name = "add_weights", DocString = "adds 1, 2, ... to each row" };
        graph.Input.Add(Value(inputName ?? string.Empty, type, dims));
        graph.Output.Add(Value("y", type, dims));
        var weights = new TensorProto { Name = "w", DataType = (int)type };
        weights.Dims.Add(width);
        if (externalData is not null)
        {
            weights.DataLocation = TensorProto.Types.DataLocation.External;
            weights.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = externalData });
            weights.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "0" });
            weights.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = WeightBytes(width, type).Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        else
        {
            weights.RawData = ByteString.CopyFrom(WeightBytes(width, type));
        }

        graph.Initializer.Add(weights);
        graph.Node.Add(OnnxNodes.Node("Add", [inputName ?? string.Empty, "w"], "y"));
        var model = new ModelProto { IrVersion = 8, ProducerName = Producer, ProducerVersion = "1.2.3", DocString = "a model dropped in", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
        return model.ToByteArray();
    }

    /// <summary>The external data file of <see cref="AddWeights"/> (w = 1, 2, ..., width), little-endian.</summary>
    public static byte[] WeightBytes(long width, TensorProto.Types.DataType type = TensorProto.Types.DataType.Float) =>
        type == TensorProto.Types.DataType.Float16
            ? Enumerable.Range(1, (int)width).SelectMany(i => BitConverter.GetBytes((Half)i)).ToArray()
            : Enumerable.Range(1, (int)width).SelectMany(i => BitConverter.GetBytes((float)i)).ToArray();

    /// <summary>Writes <see cref="AddWeights"/> with external data (<c>model.onnx</c> + <c>model.onnx.data</c>) into <paramref name="versionDir"/>.</summary>
    public static void WriteAddWeights(string versionDir, long[] dims)
    {
        Directory.CreateDirectory(versionDir);
        File.WriteAllBytes(Path.Combine(versionDir, "model.onnx"), AddWeights(dims, externalData: "model.onnx.data"));
        File.WriteAllBytes(Path.Combine(versionDir, "model.onnx.data"), WeightBytes(dims[^1]));
    }

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        for (var i = 0; i < dims.Length; i++)
        {
            shape.Dim.Add(dims[i] < 0 ? new TensorShapeProto.Types.Dimension { DimParam = i == 0 ? "batch" : "d" + i } : new TensorShapeProto.Types.Dimension { DimValue = dims[i] });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }
}

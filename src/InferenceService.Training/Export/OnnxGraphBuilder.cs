using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace InferenceService.Training.Export;

/// <summary>
/// Builds an ONNX _graph by hand (TorchSharp cannot export). Opset 17; the batch dimension is the symbolic
/// <see cref="BatchDim"/> so the runtime can batch requests.
/// <paramref name="namePrefix"/> goes before every generated node and initializer name, so nodes built here can be
/// appended to another graph (a backbone's) without clashing with its names.
/// </summary>
internal sealed class OnnxGraphBuilder(string graphName, string namePrefix = "")
{
    public const string BatchDim = "batch";
    public const long OpsetVersion = 17;

    private readonly GraphProto _graph = new() { Name = graphName };
    private int _counter;

    public static readonly int Float = (int)TensorProto.Types.DataType.Float;
    public static readonly int Int64 = (int)TensorProto.Types.DataType.Int64;

    /// <summary>Adds a _graph input; a null dimension is the symbolic batch dimension.</summary>
    public string AddInput(string name, int elemType, params long?[] dims)
    {
        _graph.Input.Add(ValueInfo(name, elemType, dims));
        return name;
    }

    public void AddOutput(string name, int elemType, params long?[] dims) => _graph.Output.Add(ValueInfo(name, elemType, dims));

    public string AddInitializer(string name, ReadOnlySpan<float> data, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data)) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    public string AddInitializer(string name, ReadOnlySpan<long> data, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = Int64, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data)) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a node and returns its (first) output name; <paramref name="output"/> names _graph outputs.</summary>
    public string AddNode(string opType, string[] inputs, string? output = null, params AttributeProto[] attributes)
    {
        var name = $"{namePrefix}{opType}_{_counter++}";
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        var outputName = output ?? name + "_out";
        node.Output.Add(outputName);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return outputName;
    }

    public string UniqueName(string prefix) => $"{namePrefix}{prefix}_{_counter++}";

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float32(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public ModelProto Build(IReadOnlyDictionary<string, string> metadata)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "InferenceService.Training",
            ProducerVersion = "1.0",
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var (key, value) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private static ValueInfoProto ValueInfo(string name, int elemType, long?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim is { } value
                ? new TensorShapeProto.Types.Dimension { DimValue = value }
                : new TensorShapeProto.Types.Dimension { DimParam = BatchDim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = shape } },
        };
    }
}

using Google.Protobuf;
using InferenceService.Runtime.Tensors;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace InferenceService.Runtime.Repository;

/// <summary>
/// Reads an ONNX file's signature (inputs, outputs, producer, opset, external data files) without loading its
/// weights: the protobuf is walked field by field and the initializers' data is skipped, so a large model costs a
/// sequential read, not a copy of its weights in memory. Every error names the file and what was wrong.
/// </summary>
public static class OnnxGraphReader
{
    // Field numbers of onnx.proto's ModelProto, GraphProto and TensorProto.
    private const int ModelIrVersion = 1, ModelProducerName = 2, ModelProducerVersion = 3, ModelDocString = 6, ModelGraph = 7, ModelOpsetImport = 8;
    private const int GraphName = 2, GraphInitializer = 5, GraphDocString = 10, GraphInput = 11, GraphOutput = 12;
    private const int TensorName = 8, TensorExternalData = 13;

    public static OnnxGraphInfo Read(string modelPath)
    {
        try
        {
            using var stream = new FileStream(modelPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return ReadModel(modelPath, new CodedInputStream(stream));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelConfigException(modelPath, "$", "an ONNX model (a ModelProto protobuf)", "unreadable bytes (" + e.Message.TrimEnd('.') + ")");
        }
    }

    private static OnnxGraphInfo ReadModel(string path, CodedInputStream input)
    {
        long irVersion = 0, opset = 0;
        string? producer = null, producerVersion = null, docString = null;
        GraphSignature? graph = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case ModelIrVersion: irVersion = input.ReadInt64(); break;
                case ModelProducerName: producer = input.ReadString(); break;
                case ModelProducerVersion: producerVersion = input.ReadString(); break;
                case ModelDocString: docString = input.ReadString(); break;
                case ModelGraph: graph = ReadGraph(input); break;
                case ModelOpsetImport:
                    var set = new OperatorSetIdProto();
                    input.ReadMessage(set);
                    if (set.Domain is "" or "ai.onnx")
                    {
                        opset = set.Version;
                    }

                    break;
                default: input.SkipLastField(); break;
            }
        }

        if (graph is null)
        {
            throw new ModelConfigException(path, "graph", "an ONNX model with a graph", "a file without one (is it an ONNX file?)");
        }

        var initializers = graph.Initializers;
        return new OnnxGraphInfo
        {
            Path = path,
            Inputs = Tensors(path, "input", graph.Inputs.Where(i => !initializers.Contains(i.Name)).ToList()),
            Outputs = Tensors(path, "output", graph.Outputs),
            ProducerName = Empty(producer),
            ProducerVersion = Empty(producerVersion),
            IrVersion = irVersion,
            Opset = opset,
            DocString = Empty(docString) ?? Empty(graph.DocString),
            GraphName = Empty(graph.Name),
            ExternalDataFiles = graph.ExternalData.Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    private static GraphSignature ReadGraph(CodedInputStream input)
    {
        var graph = new GraphSignature();
        var end = input.ReadLength() + input.Position;
        while (input.Position < end)
        {
            switch (WireFormat.GetTagFieldNumber(input.ReadTag()))
            {
                case GraphName: graph.Name = input.ReadString(); break;
                case GraphDocString: graph.DocString = input.ReadString(); break;
                case GraphInput:
                    var i = new ValueInfoProto();
                    input.ReadMessage(i);
                    graph.Inputs.Add(i);
                    break;
                case GraphOutput:
                    var o = new ValueInfoProto();
                    input.ReadMessage(o);
                    graph.Outputs.Add(o);
                    break;
                case GraphInitializer: ReadInitializer(input, graph); break;
                default: input.SkipLastField(); break;
            }
        }

        return graph;
    }

    /// <summary>An initializer's name and external data location; its values are skipped.</summary>
    private static void ReadInitializer(CodedInputStream input, GraphSignature graph)
    {
        var end = input.ReadLength() + input.Position;
        while (input.Position < end)
        {
            switch (WireFormat.GetTagFieldNumber(input.ReadTag()))
            {
                case TensorName: graph.Initializers.Add(input.ReadString()); break;
                case TensorExternalData:
                    var entry = new StringStringEntryProto();
                    input.ReadMessage(entry);
                    if (entry.Key == "location")
                    {
                        graph.ExternalData.Add(entry.Value);
                    }

                    break;
                default: input.SkipLastField(); break;
            }
        }
    }

    private static List<OnnxTensorInfo> Tensors(string path, string side, IReadOnlyList<ValueInfoProto> values)
    {
        var result = new List<OnnxTensorInfo>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            var field = $"graph.{side}[{i}]";
            if (string.IsNullOrWhiteSpace(value.Name))
            {
                throw new ModelConfigException(path, field + ".name", $"a name (requests name every {side})", "an empty name");
            }

            if (value.Type?.TensorType is not { } tensor)
            {
                throw new ModelConfigException(path, field, $"a tensor {side}", $"'{value.Name}' of type {value.Type?.ValueCase.ToString() ?? "none"}");
            }

            var dims = new List<long>();
            var names = new List<string?>();
            foreach (var dim in tensor.Shape?.Dim ?? [])
            {
                dims.Add(dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && dim.DimValue > 0 ? dim.DimValue : -1);
                names.Add(dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? dim.DimParam : null);
            }

            var onnxName = Enum.IsDefined((TensorProto.Types.DataType)tensor.ElemType)
                ? ((TensorProto.Types.DataType)tensor.ElemType).ToString().ToUpperInvariant()
                : "type " + tensor.ElemType;
            var datatype = TensorDataTypes.TryFromOnnx((TensorElementType)tensor.ElemType, out var type) ? type.ToWireName() : null;
            result.Add(new OnnxTensorInfo(value.Name, tensor.ElemType, onnxName, datatype, dims, names));
        }

        return result;
    }

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private sealed class GraphSignature
    {
        public string? Name { get; set; }

        public string? DocString { get; set; }

        public List<ValueInfoProto> Inputs { get; } = [];

        public List<ValueInfoProto> Outputs { get; } = [];

        public HashSet<string> Initializers { get; } = new(StringComparer.Ordinal);

        public List<string> ExternalData { get; } = [];
    }
}

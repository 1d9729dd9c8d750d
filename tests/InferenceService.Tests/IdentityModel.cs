using Google.Protobuf;
using Onnx;

namespace InferenceService.Tests;

/// <summary>A generated ONNX model with one Identity per V2 datatype: input <c>in_T</c> [-1] → output <c>out_T</c>.</summary>
internal static class IdentityModel
{
    public static readonly (string V2, TensorProto.Types.DataType Onnx)[] Types =
    [
        ("BOOL", TensorProto.Types.DataType.Bool), ("UINT8", TensorProto.Types.DataType.Uint8), ("UINT16", TensorProto.Types.DataType.Uint16),
        ("UINT32", TensorProto.Types.DataType.Uint32), ("UINT64", TensorProto.Types.DataType.Uint64), ("INT8", TensorProto.Types.DataType.Int8),
        ("INT16", TensorProto.Types.DataType.Int16), ("INT32", TensorProto.Types.DataType.Int32), ("INT64", TensorProto.Types.DataType.Int64),
        ("FP16", TensorProto.Types.DataType.Float16), ("BF16", TensorProto.Types.DataType.Bfloat16), ("FP32", TensorProto.Types.DataType.Float),
        ("FP64", TensorProto.Types.DataType.Double), ("BYTES", TensorProto.Types.DataType.String),
    ];

    public static void WriteTo(CustomService service, string name)
    {
        var graph = new GraphProto { Name = name };
        foreach (var (v2, onnx) in Types)
        {
            graph.Input.Add(Value("in_" + v2, onnx));
            graph.Output.Add(Value("out_" + v2, onnx));
            graph.Node.Add(new NodeProto { OpType = "Identity", Input = { "in_" + v2 }, Output = { "out_" + v2 }, Name = "id_" + v2 });
        }

        var model = new ModelProto { IrVersion = 8, Graph = graph, ProducerName = "tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
        var dir = Path.Combine(service.RepositoryPath, name);
        Directory.CreateDirectory(Path.Combine(dir, "1"));
        File.WriteAllBytes(Path.Combine(dir, "1", "model.onnx"), model.ToByteArray());
        var tensors = (string prefix) => string.Join(",", Types.Select(t => $$"""{ "name": "{{prefix}}{{t.V2}}", "datatype": "{{t.V2}}", "dims": [-1] }"""));
        File.WriteAllText(Path.Combine(dir, "config.json"), $$"""
            { "max_batch_size": 0, "inputs": [{{tensors("in_")}}], "outputs": [{{tensors("out_")}}], "execution_providers": ["cpu"],
              "warmup": { "dims": { {{string.Join(",", Types.Select(t => $"\"in_{t.V2}\": [2]"))}} } } }
            """);
    }

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "n" });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }
}

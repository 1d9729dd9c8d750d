using Google.Protobuf;
using Onnx;

namespace InferenceService.Tests.Observability;

/// <summary>
/// A generated model that fails on a chosen input: <c>y = Reshape(x, s)</c>, x FP32 [4], s INT64 [1]. s = [4] (or [0],
/// the warm-up's zeros, which keeps the dim) answers x; any s that does not hold 4 elements makes ONNX Runtime throw at
/// run time, an engine (Backend) error, 500.
/// </summary>
internal static class ReshapeModel
{
    public const string Config = """
        { "max_batch_size": 0,
          "inputs": [ { "name": "x", "datatype": "FP32", "dims": [4] }, { "name": "s", "datatype": "INT64", "dims": [1] } ],
          "outputs": [ { "name": "y", "datatype": "FP32", "dims": [-1] } ], "execution_providers": ["cpu"] }
        """;

    public static byte[] Build()
    {
        var graph = new GraphProto { Name = "reshape" };
        graph.Input.Add(Value("x", TensorProto.Types.DataType.Float, new TensorShapeProto.Types.Dimension { DimValue = 4 }));
        graph.Input.Add(Value("s", TensorProto.Types.DataType.Int64, new TensorShapeProto.Types.Dimension { DimValue = 1 }));
        graph.Output.Add(Value("y", TensorProto.Types.DataType.Float, new TensorShapeProto.Types.Dimension { DimParam = "n" }));
        graph.Node.Add(new NodeProto { OpType = "Reshape", Input = { "x", "s" }, Output = { "y" }, Name = "reshape" });
        var model = new ModelProto { IrVersion = 8, Graph = graph, ProducerName = "tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
        return model.ToByteArray();
    }

    public static void Write(CustomService service, string name)
    {
        service.Write(Path.Combine(name, "config.json"), Config);
        Directory.CreateDirectory(Path.Combine(service.RepositoryPath, name, "1"));
        File.WriteAllBytes(Path.Combine(service.RepositoryPath, name, "1", "model.onnx"), Build());
    }

    /// <summary>A request with target shape <paramref name="target"/>: 4 succeeds, anything else but 0 and -1 fails in the engine.</summary>
    public static System.Text.Json.Nodes.JsonObject Request(long target) => V2Json.Request(
        V2Json.Tensor("x", "FP32", [4], new[] { 1f, 2f, 3f, 4f }),
        V2Json.Tensor("s", "INT64", [1], new[] { target }));

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, TensorShapeProto.Types.Dimension dim)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(dim);
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }
}

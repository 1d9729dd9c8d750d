using Google.Protobuf;
using Onnx;

namespace InferenceService.Tests;

/// <summary>A generated batchable model <c>y = x + c</c> (x FP32 [batch, 4]); c tells the versions apart.</summary>
internal static class AdderModel
{
    public const string Config = """
        { "max_batch_size": 8, "inputs": [ { "name": "x", "datatype": "FP32", "dims": [4] } ],
          "outputs": [ { "name": "y", "datatype": "FP32", "dims": [4] } ], "execution_providers": ["cpu"], "version_policy": { "latest": 1 },
          "dynamic_batching": { "max_queue_delay_microseconds": 500 } }
        """;

    public static byte[] Build(float c)
    {
        var graph = new GraphProto { Name = "adder" };
        graph.Input.Add(Value("x"));
        graph.Output.Add(Value("y"));
        graph.Initializer.Add(new TensorProto { Name = "c", DataType = (int)TensorProto.Types.DataType.Float, FloatData = { c } });
        graph.Node.Add(new NodeProto { OpType = "Add", Input = { "x", "c" }, Output = { "y" }, Name = "add" });
        var model = new ModelProto { IrVersion = 8, Graph = graph, ProducerName = "tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
        return model.ToByteArray();
    }

    /// <summary>Publishes a version the way the training module does: a hidden temp folder renamed into place.</summary>
    public static void Publish(string repository, string name, long version, byte[] model)
    {
        var dir = Path.Combine(repository, name);
        Directory.CreateDirectory(dir);
        var config = Path.Combine(dir, "config.json");
        if (!File.Exists(config))
        {
            File.WriteAllText(config, Config);
        }

        var temp = Path.Combine(dir, $".tmp-{version}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        File.WriteAllBytes(Path.Combine(temp, "model.onnx"), model);
        Directory.Move(temp, Path.Combine(dir, version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static ValueInfoProto Value(string name)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 4 });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } } };
    }
}

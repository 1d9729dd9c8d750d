using Google.Protobuf;
using InferenceService.Tests.Shared;
using Onnx;

namespace InferenceService.Tests.Pipelines;

/// <summary>
/// Tiny ONNX graphs with known weights (opset 17, symbolic batch dim), standing in for the training module's models
/// so the task endpoints can be tested end to end with numbers worked out by hand.
/// </summary>
internal static class TinyOnnxModels
{
    private const string Batch = "batch";

    /// <summary>
    /// logits = flatten(input) x weights + bias. <paramref name="weights"/> is row-major [features, classes], where
    /// features is the product of <paramref name="itemDims"/>.
    /// </summary>
    public static byte[] LinearClassifier(string input, long[] itemDims, string output, float[] weights, float[] bias)
    {
        var features = itemDims.Aggregate(1L, (a, d) => a * d);
        var classes = bias.Length;
        var graph = new GraphProto { Name = "linear" };
        graph.Input.Add(Value(input, TensorProto.Types.DataType.Float, [.. itemDims]));
        graph.Output.Add(Value(output, TensorProto.Types.DataType.Float, classes));
        graph.Initializer.Add(Floats("W", weights, features, classes));
        graph.Initializer.Add(Floats("B", bias, classes));
        var x = input;
        if (itemDims.Length > 1)
        {
            graph.Node.Add(OnnxNodes.Node("Flatten", [input], "flat", new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 }));
            x = "flat";
        }

        graph.Node.Add(OnnxNodes.Node("Gemm", [x, "W", "B"], output));
        return Serialize(graph);
    }

    /// <summary>
    /// The recommender contract: user_ids and item_ids INT64 [batch,1] in; user_scores = userTable[user] and
    /// item_scores = itemTable[item] out, both [batch, items]. Tables are row-major.
    /// </summary>
    public static byte[] Recommender(float[] userTable, int users, float[] itemTable, int items)
    {
        var graph = new GraphProto { Name = "recommender" };
        graph.Input.Add(Value("user_ids", TensorProto.Types.DataType.Int64, 1));
        graph.Input.Add(Value("item_ids", TensorProto.Types.DataType.Int64, 1));
        graph.Output.Add(Value("user_scores", TensorProto.Types.DataType.Float, items));
        graph.Output.Add(Value("item_scores", TensorProto.Types.DataType.Float, items));
        graph.Initializer.Add(Floats("users", userTable, users, items));
        graph.Initializer.Add(Floats("items", itemTable, items, items));
        var shape = new TensorProto { Name = "rows", DataType = (int)TensorProto.Types.DataType.Int64 };
        shape.Dims.Add(2);
        shape.Int64Data.Add([-1, items]);
        graph.Initializer.Add(shape);
        graph.Node.Add(OnnxNodes.Node("Gather", ["users", "user_ids"], "user_rows"));
        graph.Node.Add(OnnxNodes.Node("Reshape", ["user_rows", "rows"], "user_scores"));
        graph.Node.Add(OnnxNodes.Node("Gather", ["items", "item_ids"], "item_rows"));
        graph.Node.Add(OnnxNodes.Node("Reshape", ["item_rows", "rows"], "item_scores"));
        return Serialize(graph);
    }

    private static byte[] Serialize(GraphProto graph) => OnnxNodes.Serialize(graph, "InferenceService.Tests");

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, params long[] itemDims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = Batch });
        foreach (var d in itemDims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    private static TensorProto Floats(string name, float[] data, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        tensor.FloatData.Add(data);
        return tensor;
    }
}

using Google.Protobuf;
using Onnx;

namespace InferenceService.Runtime.Repository.Provisioning;

/// <summary>
/// Makes dim 0 of every graph input and output symbolic so a model exported with batch 1 can batch. Only the
/// declared dims change (value_info is cleared so shape inference starts afresh); weights and nodes are untouched,
/// so each item's output stays bit-identical.
/// </summary>
internal static class SymbolicBatchRewriter
{
    public const string BatchDimName = "batch";

    public static byte[] Rewrite(byte[] model)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        var graph = proto.Graph;
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var value in graph.Input.Where(i => !initializers.Contains(i.Name)).Concat(graph.Output))
        {
            var shape = value.Type?.TensorType?.Shape;
            if (shape is null || shape.Dim.Count == 0)
            {
                continue;
            }

            shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = BatchDimName };
        }

        graph.ValueInfo.Clear();
        return proto.ToByteArray();
    }
}

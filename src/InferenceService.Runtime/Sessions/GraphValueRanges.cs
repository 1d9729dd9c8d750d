using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;
using Onnx;

namespace InferenceService.Runtime.Sessions;

/// <summary>
/// The value ranges of a version's integer inputs: declared in config.json (<c>value_range</c>), else read from the
/// graph where an input indexes a table (a Gather over an initializer, through casts and reshapes): ONNX Runtime
/// accepts indices from -rows to rows - 1 there and fails the whole run otherwise.
/// </summary>
internal static class GraphValueRanges
{
    // Ops that pass their first input's values through unchanged (only the type or shape changes).
    private static readonly HashSet<string> PassThrough = new(StringComparer.Ordinal) { "Cast", "Identity", "Reshape", "Flatten", "Squeeze", "Unsqueeze" };

    public static ValueRanges Read(string modelPath, ModelConfig config)
    {
        var ranges = new Dictionary<string, (long Min, long Max)>(StringComparer.Ordinal);
        var undeclared = new List<string>();
        foreach (var input in config.Inputs)
        {
            if (input.ValueRange is { Count: 2 } declared)
            {
                ranges[input.Name] = (declared[0], declared[1]);
            }
            else if (TensorDataTypes.TryParse(input.Datatype, out var type) && ValueRanges.IsInteger(type))
            {
                undeclared.Add(input.Name);
            }
        }

        if (undeclared.Count > 0)
        {
            // Only models with integer inputs pay for parsing the graph.
            using var stream = File.OpenRead(modelPath);
            var graph = ModelProto.Parser.ParseFrom(stream).Graph;
            var tables = graph.Initializer.Where(i => i.Dims.Count > 0).ToDictionary(i => i.Name, i => i.Dims[0], StringComparer.Ordinal);
            foreach (var name in undeclared)
            {
                if (TableRows(graph, tables, name) is { } rows)
                {
                    ranges[name] = (-rows, rows - 1);
                }
            }
        }

        return ranges.Count == 0 ? ValueRanges.None : new ValueRanges(ranges);
    }

    /// <summary>The fewest rows of any table the input indexes (axis 0), or null when it indexes none.</summary>
    private static long? TableRows(GraphProto graph, Dictionary<string, long> tables, string input)
    {
        long? rows = null;
        var values = new Queue<string>([input]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (values.TryDequeue(out var value))
        {
            if (!seen.Add(value))
            {
                continue;
            }

            foreach (var node in graph.Node)
            {
                if (node.OpType == "Gather" && node.Input.Count == 2 && node.Input[1] == value && Axis(node) == 0 && tables.TryGetValue(node.Input[0], out var count))
                {
                    rows = Math.Min(rows ?? long.MaxValue, count);
                }
                else if (PassThrough.Contains(node.OpType) && node.Input.Count > 0 && node.Input[0] == value)
                {
                    foreach (var output in node.Output)
                    {
                        values.Enqueue(output);
                    }
                }
            }
        }

        return rows;
    }

    private static long Axis(NodeProto node) => node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 0;
}

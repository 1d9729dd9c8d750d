using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Runtime.Sessions;

/// <summary>Checks that config.json describes the graph ONNX Runtime actually loaded: names, datatypes and dims.</summary>
internal static class GraphConfigChecker
{
    public static void Check(string configPath, ModelConfig config, SessionPool pool)
    {
        CheckSide(configPath, "inputs", config, config.Inputs, pool.InputMetadata, requireAll: true);
        CheckSide(configPath, "outputs", config, config.Outputs, pool.OutputMetadata, requireAll: false);
    }

    private static void CheckSide(string path, string field, ModelConfig config, IReadOnlyList<TensorConfig> declared, IReadOnlyDictionary<string, NodeMetadata> graph, bool requireAll)
    {
        if (requireAll)
        {
            var missing = graph.Keys.Where(k => declared.All(d => d.Name != k)).ToList();
            if (missing.Count > 0)
            {
                throw new ModelConfigException(path, field, "every graph input declared: " + string.Join(", ", graph.Keys), "missing " + string.Join(", ", missing));
            }
        }

        for (var i = 0; i < declared.Count; i++)
        {
            var t = declared[i];
            if (!graph.TryGetValue(t.Name, out var meta))
            {
                throw new ModelConfigException(path, $"{field}[{i}].name", "one of the graph's " + field + ": " + string.Join(", ", graph.Keys), $"\"{t.Name}\"");
            }

            TensorDataTypes.TryParse(t.Datatype, out var type);
            if (!TensorDataTypes.TryFromOnnx(meta.ElementDataType, out var graphType) || graphType != type)
            {
                throw new ModelConfigException(path, $"{field}[{i}].datatype", $"the graph's {meta.ElementDataType}", t.Datatype);
            }

            var graphDims = meta.Dimensions;
            var expectedRank = t.Dims.Count + (config.MaxBatchSize > 0 ? 1 : 0);
            if (graphDims.Length != expectedRank)
            {
                throw new ModelConfigException(path, $"{field}[{i}].dims",
                    $"{graphDims.Length - (config.MaxBatchSize > 0 ? 1 : 0)} dims (graph shape [{string.Join(",", graphDims)}]{(config.MaxBatchSize > 0 ? ", batch dim excluded" : string.Empty)})",
                    "[" + string.Join(",", t.Dims) + "]");
            }

            if (config.MaxBatchSize > 0 && graphDims[0] > 0)
            {
                throw new ModelConfigException(path, "max_batch_size", $"0, because {field} '{t.Name}' has a fixed batch dim {graphDims[0]} in the graph", config.MaxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var offset = config.MaxBatchSize > 0 ? 1 : 0;
            for (var d = 0; d < t.Dims.Count; d++)
            {
                var g = graphDims[d + offset];
                if (g > 0 && t.Dims[d] != g)
                {
                    throw new ModelConfigException(path, $"{field}[{i}].dims[{d}]", $"{g} (graph shape [{string.Join(",", graphDims)}])", t.Dims[d].ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }
    }
}

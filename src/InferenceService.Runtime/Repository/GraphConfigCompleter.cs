using System.Globalization;
using InferenceService.Runtime.Batching;

namespace InferenceService.Runtime.Repository;

/// <summary>
/// Triton's auto-complete for ONNX models: what config.json leaves out (inputs, outputs, max_batch_size, the batcher)
/// comes from the graph, and what it says must agree with the graph. A model batches when dim 0 of every input and
/// output is symbolic; it then gets the default max_batch_size and work-conserving dynamic batching (no delay).
/// </summary>
public static class GraphConfigCompleter
{
    /// <summary>
    /// ModelRepository:DefaultMaxBatchSize's default. Triton's is 4 (--backend-config=default-max-batch-size); 64 here
    /// so a client's own batch of up to 64 is accepted, and the batcher never waits to fill it.
    /// </summary>
    public const int DefaultMaxBatchSize = 64;

    /// <summary>The graph of a version folder and the config completed from it; every error names the file and both values.</summary>
    public static (ModelConfig Config, OnnxGraphInfo Graph) ForVersion(ModelConfigDraft draft, string modelDir, string versionDir, int defaultMaxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var graph = OnnxGraphReader.Read(ModelFile.Find(modelDir, versionDir));
        foreach (var file in graph.ExternalDataFiles)
        {
            if (!File.Exists(Path.Combine(versionDir, file)))
            {
                throw new ModelConfigException(graph.Path, "external_data", $"{file} next to the model (the graph keeps weights in it)", "no such file");
            }
        }

        return (Complete(draft, graph, defaultMaxBatchSize), graph);
    }

    public static ModelConfig Complete(ModelConfigDraft draft, OnnxGraphInfo graph, int defaultMaxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(graph);
        var config = draft.Config;
        var fixedBatch = graph.Inputs.Concat(graph.Outputs).FirstOrDefault(t => !t.HasSymbolicFirstDim);
        int maxBatchSize;
        if (draft.HasMaxBatchSize)
        {
            maxBatchSize = config.MaxBatchSize;
            if (maxBatchSize > 0 && fixedBatch is not null)
            {
                throw new ModelConfigException(draft.Path, "max_batch_size",
                    $"0, because the graph's '{fixedBatch.Name}' has {(fixedBatch.Dims.Count == 0 ? "no dims" : $"a fixed first dim {fixedBatch.Dims[0]}")} ({graph.Path})",
                    Str(maxBatchSize));
            }
        }
        else
        {
            maxBatchSize = fixedBatch is null && !DeclaresFullShape(config, graph) ? defaultMaxBatchSize : 0;
        }

        var completed = config with
        {
            MaxBatchSize = maxBatchSize,
            Inputs = CompleteSide(draft.Path, graph, "inputs", config.Inputs, graph.Inputs, maxBatchSize, addMissing: true),
            Outputs = CompleteSide(draft.Path, graph, "outputs", config.Outputs, graph.Outputs, maxBatchSize, addMissing: config.Outputs.Count == 0),

            // Triton enables its dynamic batcher when it completes a config for a batching model that names no scheduler;
            // here only when the inputs came from the graph, so a hand-written config runs as written.
            DynamicBatching = config.DynamicBatching ?? (config.Inputs.Count == 0 && maxBatchSize > 1 ? new DynamicBatchingConfig() : null),
        };
        ModelConfigLoader.Validate(draft.Path, completed);
        return completed;
    }

    /// <summary>
    /// Dims written with the graph's full rank and no max_batch_size: the config means the full shape (max_batch_size
    /// 0, as before completion existed), so it is kept, not read as dims after a batch dim.
    /// </summary>
    private static bool DeclaresFullShape(ModelConfig config, OnnxGraphInfo graph) =>
        config.Inputs.Select(d => (d, graph.Inputs.FirstOrDefault(t => t.Name == d.Name)))
            .Concat(config.Outputs.Select(d => (d, graph.Outputs.FirstOrDefault(t => t.Name == d.Name))))
            .Any(p => p.Item2 is not null && p.d.Dims.Count > 0 && p.d.Dims.Count == p.Item2.Dims.Count);

    private static List<TensorConfig> CompleteSide(string path, OnnxGraphInfo graph, string field, IReadOnlyList<TensorConfig> declared, IReadOnlyList<OnnxTensorInfo> tensors, int maxBatchSize, bool addMissing)
    {
        var skip = maxBatchSize > 0 ? 1 : 0;
        var result = new List<TensorConfig>();
        for (var i = 0; i < declared.Count; i++)
        {
            var given = declared[i];
            var prefix = $"{field}[{i}]";
            var tensor = tensors.FirstOrDefault(t => t.Name == given.Name)
                ?? throw new ModelConfigException(path, prefix + ".name", $"one of the graph's {field}: {string.Join(", ", tensors.Select(t => t.Name))}", $"\"{given.Name}\"");
            var datatype = DatatypeOf(graph, field, tensor);
            if (!string.IsNullOrEmpty(given.Datatype) && given.Datatype != datatype)
            {
                throw new ModelConfigException(path, prefix + ".datatype", $"the graph's {datatype} ({tensor.OnnxTypeName})", given.Datatype);
            }

            var graphDims = tensor.Dims.Skip(skip).ToList();
            if (given.Dims.Count > 0)
            {
                CheckDims(path, prefix, given.Dims, graphDims, tensor, skip);
            }

            // A -1 where the graph is fixed narrows to the graph's size: ONNX Runtime would refuse any other.
            var dims = given.Dims.Count == 0 ? graphDims : given.Dims.Select((d, k) => d < 0 && graphDims[k] > 0 ? graphDims[k] : d).ToList();
            result.Add(given with { Datatype = datatype, Dims = dims });
        }

        if (addMissing)
        {
            result.AddRange(tensors.Where(t => declared.All(d => d.Name != t.Name))
                .Select(t => new TensorConfig { Name = t.Name, Datatype = DatatypeOf(graph, field, t), Dims = t.Dims.Skip(skip).ToList() }));
        }

        return result;
    }

    private static void CheckDims(string path, string prefix, IReadOnlyList<long> given, List<long> graphDims, OnnxTensorInfo tensor, int skip)
    {
        var shape = "[" + string.Join(",", tensor.Dims) + "]";
        if (given.Count != graphDims.Count)
        {
            throw new ModelConfigException(path, prefix + ".dims",
                $"{graphDims.Count} dims (the graph's shape {shape}{(skip > 0 ? ", batch dim excluded" : string.Empty)})", "[" + string.Join(",", given) + "]");
        }

        for (var d = 0; d < given.Count; d++)
        {
            if (graphDims[d] > 0 && given[d] > 0 && given[d] != graphDims[d])
            {
                throw new ModelConfigException(path, $"{prefix}.dims[{d}]", $"{graphDims[d]} (the graph's shape {shape})", Str(given[d]));
            }
        }
    }

    private static string DatatypeOf(OnnxGraphInfo graph, string field, OnnxTensorInfo tensor) =>
        tensor.Datatype ?? throw new ModelConfigException(graph.Path, $"graph {field} '{tensor.Name}'", "a datatype the V2 protocol carries (" + Tensors.TensorDataTypes.AllNames + ")", "ONNX " + tensor.OnnxTypeName);

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);
}

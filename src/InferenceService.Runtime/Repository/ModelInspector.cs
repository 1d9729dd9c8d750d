using System.Globalization;
using System.Text.Json;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Repository;

/// <summary>
/// What the service would make of an ONNX file or a model/version folder, without loading it: the completed config,
/// the graph's signature and metadata, and what a user should know before serving it (the <c>inspect</c> command).
/// Errors are the ones the repository would report for the same folder.
/// </summary>
public static class ModelInspector
{
    public static ModelInspection Inspect(string path, int defaultMaxBatchSize)
    {
        var (modelDir, versionDir, modelPath) = Locate(Path.GetFullPath(path));
        var draft = modelDir is null
            ? new ModelConfigDraft(Path.Combine(versionDir, ModelConfigLoader.ConfigFileName), new ModelConfig(), HasMaxBatchSize: false)
            : ModelConfigLoader.LoadDraft(modelDir);
        var graph = OnnxGraphReader.Read(modelPath);
        var config = GraphConfigCompleter.Complete(draft, graph, defaultMaxBatchSize);
        return new ModelInspection(modelPath, config, graph, Warnings(modelPath, config, graph));
    }

    /// <summary>The model folder (null for a loose file), the version folder and the model file a path names.</summary>
    private static (string? ModelDir, string VersionDir, string ModelPath) Locate(string path)
    {
        if (File.Exists(path))
        {
            var dir = Path.GetDirectoryName(path)!;
            return (IsVersionFolder(dir) ? Path.GetDirectoryName(dir) : null, dir, path);
        }

        if (!Directory.Exists(path))
        {
            throw new ModelConfigException(path, "$", "an .onnx file, a model folder or a version folder", "no such file or folder");
        }

        var versions = ModelConfigLoader.FindVersions(path);
        if (versions.Count > 0 || File.Exists(Path.Combine(path, ModelConfigLoader.ConfigFileName)))
        {
            var config = ModelConfigLoader.LoadDraft(path).Config;
            var served = RepositoryScanner.ServedVersionNumbers(path, config);
            if (served.Count == 0)
            {
                throw new ModelConfigException(path, "$", "a version folder holding " + ModelConfigLoader.ModelFileName, "none (put the model in " + Path.Combine(path, "1", ModelConfigLoader.ModelFileName) + ")");
            }

            var versionDir = RepositoryScanner.VersionDirectory(path, served.Max());
            return (path, versionDir, ModelFile.Find(path, versionDir));
        }

        var parent = IsVersionFolder(path) ? Path.GetDirectoryName(path) : null;
        return (parent, path, ModelFile.Find(parent ?? path, path));
    }

    private static bool IsVersionFolder(string dir) =>
        long.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0;

    private static List<string> Warnings(string modelPath, ModelConfig config, OnnxGraphInfo graph)
    {
        var warnings = new List<string>();
        if (Path.GetFileName(modelPath) != ModelConfigLoader.ModelFileName)
        {
            warnings.Add($"the service serves a version folder's {ModelConfigLoader.ModelFileName}: copy this file to models/<name>/1/{ModelConfigLoader.ModelFileName}");
        }

        if (config.MaxBatchSize == 0)
        {
            foreach (var t in graph.Inputs.Concat(graph.Outputs).Where(t => !t.HasSymbolicFirstDim))
            {
                warnings.Add($"'{t.Name}' has {(t.Dims.Count == 0 ? "no dims" : $"a fixed first dim {t.Dims[0]}")} (shape {Shape(t)}): the model does not batch (max_batch_size 0); export it with a symbolic batch dim (dynamic_axes) to batch");
            }
        }

        foreach (var t in config.Inputs.Where(t => TensorDataTypes.TryParse(t.Datatype, out var type) && type is TensorDataType.Fp16 or TensorDataType.Bf16))
        {
            warnings.Add($"input '{t.Name}' is {t.Datatype}: JSON requests cannot carry {t.Datatype} values; send it as binary tensor data (parameters.binary_data_size) or over gRPC");
        }

        var dir = Path.GetDirectoryName(modelPath)!;
        foreach (var file in graph.ExternalDataFiles)
        {
            var full = Path.Combine(dir, file);
            warnings.Add(File.Exists(full)
                ? $"needs external data file {file}: present ({new FileInfo(full).Length.ToString("N0", CultureInfo.InvariantCulture)} bytes); keep it next to the model"
                : $"needs external data file {file}: MISSING ({full}); the service will refuse to load the model without it");
        }

        return warnings;
    }

    /// <summary>A graph shape with its symbols, as <c>[batch,3,224,224]</c>.</summary>
    public static string Shape(OnnxTensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return "[" + string.Join(",", tensor.Dims.Select((d, i) => d > 0 ? d.ToString(CultureInfo.InvariantCulture) : tensor.DimNames[i] ?? "?")) + "]";
    }
}

/// <summary>The answer of <see cref="ModelInspector.Inspect"/>.</summary>
public sealed record ModelInspection(string ModelPath, ModelConfig Config, OnnxGraphInfo Graph, IReadOnlyList<string> Warnings)
{
    /// <summary>The completed config as config.json would hold it.</summary>
    public string ConfigJson => JsonSerializer.Serialize(Config, RepositoryJson.Options);
}

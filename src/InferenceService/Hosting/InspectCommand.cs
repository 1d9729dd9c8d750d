using InferenceService.Runtime.Repository;

namespace InferenceService.Hosting;

/// <summary>
/// <c>InferenceService inspect &lt;model.onnx | model folder | version folder&gt;</c>: prints the config the service
/// would serve the model with (completed from its graph), the graph's inputs, outputs and metadata, and warnings;
/// exits 1 with one line when the path or the graph is unusable. Relative paths resolve as <see cref="Resolve"/> says.
/// ModelRepository:DefaultMaxBatchSize is read as the service reads it (appsettings.json, environment, arguments).
/// </summary>
internal static class InspectCommand
{
    public const string Name = "inspect";

    public static bool IsRequested(string[] args) => args.Length >= 1 && args[0] == Name;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
        {
            error.WriteLine("usage: InferenceService inspect <model.onnx | model folder | version folder> [--ModelRepository:DefaultMaxBatchSize=N]");
            return 2;
        }

        try
        {
            var settings = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
                .AddEnvironmentVariables()
                .AddCommandLine(args[2..])
                .Build();
            var maxBatch = settings.GetValue($"{ModelRepositoryOptions.Section}:{nameof(ModelRepositoryOptions.DefaultMaxBatchSize)}", GraphConfigCompleter.DefaultMaxBatchSize);
            Write(ModelInspector.Inspect(Resolve(args[1]), maxBatch), output);
            return 0;
        }
        catch (Exception e) when (e is ModelConfigException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            error.WriteLine("error: " + e.Message.ReplaceLineEndings(" "));
            return 1;
        }
    }

    /// <summary>
    /// A relative path as the user meant it: against the shell's folder (PWD: <c>dotnet run --project</c> starts the
    /// service in the project folder), else the current folder or the nearest folder above it that has it (the
    /// repository root, for <c>models/resnet18</c>). Unresolved, it stays relative to the shell's folder for the error.
    /// </summary>
    internal static string Resolve(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        var shell = Environment.GetEnvironmentVariable("PWD");
        var folders = new List<string>();
        if (!string.IsNullOrEmpty(shell) && Directory.Exists(shell))
        {
            folders.Add(shell);
        }

        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            folders.Add(dir.FullName);
        }

        return folders.Select(f => Path.GetFullPath(Path.Combine(f, path))).FirstOrDefault(p => File.Exists(p) || Directory.Exists(p))
            ?? Path.GetFullPath(Path.Combine(folders[0], path));
    }

    private static void Write(ModelInspection inspection, TextWriter output)
    {
        var graph = inspection.Graph;
        output.WriteLine($"model: {inspection.ModelPath}");
        output.WriteLine($"graph: {graph.GraphName ?? "(unnamed)"}, producer {graph.ProducerName ?? "?"} {graph.ProducerVersion ?? string.Empty}".TrimEnd() + $", opset {graph.Opset}, IR version {graph.IrVersion}");
        if (graph.DocString is { } doc)
        {
            output.WriteLine($"doc: {doc.ReplaceLineEndings(" ")}");
        }

        foreach (var (side, tensors) in new[] { ("inputs", graph.Inputs), ("outputs", graph.Outputs) })
        {
            output.WriteLine($"{side}:");
            foreach (var t in tensors)
            {
                output.WriteLine($"  {t.Name}  {t.Datatype ?? "(no V2 datatype)"} (ONNX {t.OnnxTypeName})  {ModelInspector.Shape(t)}");
            }
        }

        output.WriteLine("config (what the service would use; save it as config.json to pin it):");
        output.WriteLine(inspection.ConfigJson);
        output.WriteLine(inspection.Warnings.Count == 0 ? "warnings: none" : "warnings:");
        foreach (var warning in inspection.Warnings)
        {
            output.WriteLine($"  - {warning}");
        }
    }
}

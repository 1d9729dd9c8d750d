using InferenceService.Runtime.Repository;

namespace InferenceService.Hosting;

/// <summary>
/// <c>InferenceService inspect &lt;model.onnx | model folder | version folder&gt;</c>: prints the config the service
/// would serve the model with (completed from its graph), the graph's inputs, outputs and metadata, and warnings;
/// exits 1 with one line when the path or the graph is unusable. Relative paths resolve against the current folder.
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
            Write(ModelInspector.Inspect(args[1], maxBatch), output);
            return 0;
        }
        catch (Exception e) when (e is ModelConfigException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            error.WriteLine("error: " + e.Message.ReplaceLineEndings(" "));
            return 1;
        }
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

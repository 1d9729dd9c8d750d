using System.Text.Json;
using System.Text.Json.Nodes;

namespace InferenceService.Tests.Reliability;

/// <summary>A scratch repository holding the real MiniLM (weights linked, config copied and optionally edited).</summary>
internal sealed class ReliabilityRepository : IDisposable
{
    public ReliabilityRepository(Action<JsonObject>? editConfig = null)
    {
        var source = System.IO.Path.Combine(RepoPaths.Models, "minilm");
        var target = System.IO.Path.Combine(Path, "minilm");
        Directory.CreateDirectory(System.IO.Path.Combine(target, "1"));
        foreach (var file in Directory.GetFiles(System.IO.Path.Combine(source, "1")))
        {
            File.CreateSymbolicLink(System.IO.Path.Combine(target, "1", System.IO.Path.GetFileName(file)), file);
        }

        var config = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(source, "config.json")), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        config["execution_providers"] = new JsonArray("cpu");
        editConfig?.Invoke(config);
        File.WriteAllText(System.IO.Path.Combine(target, "config.json"), config.ToJsonString());
    }

    /// <summary>Links another model of the repo's models/ folder in (weights linked, config copied with the CPU provider), optionally under another name and with an edited config.</summary>
    public void AddModel(string name, string? asName = null, Action<JsonObject>? editConfig = null)
    {
        var source = System.IO.Path.Combine(RepoPaths.Models, name);
        var target = System.IO.Path.Combine(Path, asName ?? name);
        Directory.CreateDirectory(System.IO.Path.Combine(target, "1"));
        foreach (var file in Directory.GetFiles(System.IO.Path.Combine(source, "1")))
        {
            File.CreateSymbolicLink(System.IO.Path.Combine(target, "1", System.IO.Path.GetFileName(file)), file);
        }

        var config = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(source, "config.json")), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        config["execution_providers"] = new JsonArray("cpu");
        editConfig?.Invoke(config);
        File.WriteAllText(System.IO.Path.Combine(target, "config.json"), config.ToJsonString());
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "is-reliability-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: links only, the real weights are never below this folder.
        }
    }
}

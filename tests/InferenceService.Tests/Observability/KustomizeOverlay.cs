using System.Diagnostics;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace InferenceService.Tests.Observability;

/// <summary>
/// A deploy/kustomize overlay as <c>kubectl kustomize</c> renders it (what <c>kubectl apply -k</c> sends), each object
/// as JSON (scalars as strings), so a test reads the manifests as shipped rather than a copy of them.
/// </summary>
internal sealed class KustomizeOverlay
{
    private KustomizeOverlay(IReadOnlyList<JsonObject> objects) => Objects = objects;

    public IReadOnlyList<JsonObject> Objects { get; }

    public static async Task<KustomizeOverlay> RenderAsync(string overlay)
    {
        var path = Path.Combine(RepoPaths.Root, "deploy", "kustomize", "overlays", overlay);
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(path);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("kubectl is needed to render the kustomize overlays (kubectl kustomize): " + e.Message, e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(process.ExitCode == 0, $"kubectl kustomize {path} failed: {await error}");
            var yaml = new YamlStream();
            yaml.Load(new StringReader(await output));
            return new KustomizeOverlay(yaml.Documents.Select(d => (JsonObject)ToJson(d.RootNode)!).ToList());
        }
    }

    /// <summary>The one object of this kind and name (name null: the only one of the kind).</summary>
    public JsonObject Single(string kind, string? name = null) =>
        Assert.Single(Objects, o => (string?)o["kind"] == kind && (name is null || (string?)o["metadata"]!["name"] == name));

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => scalar.Value is null ? null : JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException("unexpected YAML node " + node.NodeType),
    };
}

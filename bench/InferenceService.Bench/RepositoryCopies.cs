using System.Text.Json;
using System.Text.Json.Nodes;

namespace InferenceService.Bench;

/// <summary>A one-model repository whose config lacks <c>dynamic_batching</c>; everything else is a symlink to the original.</summary>
internal static class RepositoryCopies
{
    public static int WithoutBatching(BenchArgs args)
    {
        var name = args.Get("model");
        var source = Path.GetFullPath(Path.Combine(args.Get("models"), name));
        var target = Path.Combine(args.Get("out"), name);
        Directory.CreateDirectory(target);
        foreach (var entry in Directory.EnumerateFileSystemEntries(source))
        {
            var entryName = Path.GetFileName(entry);
            if (entryName != "config.json")
            {
                File.CreateSymbolicLink(Path.Combine(target, entryName), entry);
            }
        }

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "config.json")), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        config.Remove("dynamic_batching");
        File.WriteAllText(Path.Combine(target, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }
}

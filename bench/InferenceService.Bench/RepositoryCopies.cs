using System.Text.Json;
using System.Text.Json.Nodes;

namespace InferenceService.Bench;

/// <summary>
/// One-model repositories for comparisons: every file a symlink to the original model's, only <c>config.json</c>
/// rewritten. <c>nobatch</c> drops <c>dynamic_batching</c>; <c>variant</c> serves the model under another name with
/// top-level config sections replaced (e.g. a whole <c>dynamic_batching</c>).
/// </summary>
internal static class RepositoryCopies
{
    private static readonly JsonDocumentOptions ReadOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static int WithoutBatching(BenchArgs args)
    {
        var name = args.Get("model");
        Copy(Path.Combine(args.Get("models"), name), Path.Combine(args.Get("out"), name), config => config.Remove("dynamic_batching"));
        return 0;
    }

    /// <summary>--models DIR --model NAME --name SERVED_NAME --out DIR --set-json '{"dynamic_batching": {...}}'.</summary>
    public static int Variant(BenchArgs args)
    {
        var set = JsonNode.Parse(args.Get("set-json"), documentOptions: ReadOptions)!.AsObject();
        Copy(Path.Combine(args.Get("models"), args.Get("model")), Path.Combine(args.Get("out"), args.Get("name")), config =>
        {
            foreach (var (key, value) in set)
            {
                config[key] = value?.DeepClone();
            }
        });
        return 0;
    }

    private static void Copy(string source, string target, Action<JsonObject> edit)
    {
        source = Path.GetFullPath(source);
        Directory.CreateDirectory(target);
        foreach (var entry in Directory.EnumerateFileSystemEntries(source))
        {
            var entryName = Path.GetFileName(entry);
            if (entryName != "config.json")
            {
                File.CreateSymbolicLink(Path.Combine(target, entryName), entry);
            }
        }

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "config.json")), documentOptions: ReadOptions)!.AsObject();
        edit(config);
        File.WriteAllText(Path.Combine(target, "config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}

namespace InferenceService.Tests.Docs;

/// <summary>
/// The pages whose shell blocks run, in the contract's order: README.md first, then docs/**/*.md by path. Not bench/,
/// deploy/ or src/**/README.md: those describe benches and clusters that cannot run here.
/// </summary>
internal static class DocPages
{
    public static IReadOnlyList<string> Find(string root)
    {
        var docs = Path.Combine(root, "docs");
        var pages = Directory.Exists(docs)
            ? Directory.EnumerateFiles(docs, "*.md", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(root, p).Replace('\\', '/')).Order(StringComparer.Ordinal)
            : Enumerable.Empty<string>();
        return ["README.md", .. pages];
    }

    public static IReadOnlyList<ParsedMarkdown> Parse(string root) =>
        Find(root).Select(page => MarkdownBlocks.Parse(page, File.ReadAllText(Path.Combine(root, page)))).ToList();
}

namespace InferenceService.Tests.Docs;

/// <summary>
/// The settings table of docs/configuration.md: the table whose header starts with <c>| Key |</c>; each row's key is
/// the first <c>`code`</c> span of its first cell, its other cells as written.
/// </summary>
internal static class ConfigurationTable
{
    public static string PagePath => Path.Combine(RepoPaths.Root, "docs", "configuration.md");

    public static IReadOnlyList<(string Key, string[] Cells)> Read(string markdown)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var header = lines.FindIndex(l => l.StartsWith("| Key |", StringComparison.Ordinal));
        Assert.True(header >= 0, "docs/configuration.md has no table whose header starts with '| Key |'");
        Assert.True(lines.Count(l => l.StartsWith("| Key |", StringComparison.Ordinal)) == 1, "docs/configuration.md must have one settings table, not several");
        return lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).Select(Row).ToList();
    }

    private static (string Key, string[] Cells) Row(string line)
    {
        var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
        var first = cells[0];
        var open = first.IndexOf('`', StringComparison.Ordinal);
        var close = open < 0 ? -1 : first.IndexOf('`', open + 1);
        Assert.True(close > open + 1, $"a row of the settings table has no `key` in its first cell: {line}");
        return (first[(open + 1)..close], cells);
    }
}

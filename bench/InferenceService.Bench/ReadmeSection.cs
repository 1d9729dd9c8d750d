namespace InferenceService.Bench;

/// <summary>Replaces the text between two marker comments of a markdown file (bench/README.md's result tables).</summary>
internal static class ReadmeSection
{
    public static void Replace(string path, string startMarker, string endMarker, string markdown)
    {
        var text = File.ReadAllText(path);
        var start = text.IndexOf(startMarker, StringComparison.Ordinal);
        var end = text.IndexOf(endMarker, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            Console.Error.WriteLine($"{path} has no {startMarker} … {endMarker} markers; not updated.");
            return;
        }

        File.WriteAllText(path, text[..(start + startMarker.Length)] + "\n" + markdown + text[end..]);
    }
}

using System.Text.RegularExpressions;

namespace InferenceService.Tests.Docs;

/// <summary>
/// Finds the fenced <c>sh</c>/<c>bash</c> blocks of a Markdown page and their annotations, as the docs-test contract
/// says: <c>&lt;!-- docs-test: skip: reason --&gt;</c> and <c>&lt;!-- docs-test: expect: text --&gt;</c> on the lines
/// directly before the opening fence. Not a full CommonMark parser: fences (``` or ~~~, any indentation, as in list
/// items) are what matter here. A misspelt or misplaced annotation is a problem, never silently ignored, or a typo
/// would turn a check off.
/// </summary>
internal static partial class MarkdownBlocks
{
    public static ParsedMarkdown Parse(string file, string markdown)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var blocks = new List<DocBlock>();
        var problems = new List<string>();
        var pending = new List<(int Line, string Verb, string Argument)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("<!--", StringComparison.Ordinal) && line.Contains("docs-test", StringComparison.Ordinal))
            {
                if (Annotation().Match(line) is { Success: true } annotation)
                {
                    pending.Add((i + 1, annotation.Groups["verb"].Value, annotation.Groups["argument"].Value.Trim()));
                }
                else
                {
                    problems.Add($"{file}:{i + 1}: not a docs-test annotation (expected <!-- docs-test: skip: <reason> --> or <!-- docs-test: expect: <text> --> on a line of its own): {line.Trim()}");
                }

                continue;
            }

            var fence = Fence().Match(line);
            if (!fence.Success)
            {
                ReportStranded(file, pending, "is not directly before an opening fence (no blank line in between)", problems);
                pending.Clear();
                continue;
            }

            var info = fence.Groups["info"].Value;
            var end = FindClosingFence(lines, i + 1, fence.Groups["fence"].Value);
            if (end < 0)
            {
                problems.Add($"{file}:{i + 1}: the ```{info} fence is never closed");
                break;
            }

            if (IsShell(info))
            {
                var indent = fence.Groups["indent"].Value.Length;
                var code = string.Join('\n', lines[(i + 1)..end].Select(l => Unindent(l, indent)));
                blocks.Add(ToBlock(file, i + 1, code, pending, problems));
            }
            else
            {
                ReportStranded(file, pending, $"is before a ```{info} block, which never runs (only sh and bash blocks do)", problems);
            }

            pending.Clear();
            i = end;
        }

        ReportStranded(file, pending, "is not before any block", problems);
        return new ParsedMarkdown(blocks, problems);
    }

    private static DocBlock ToBlock(string file, int line, string code, List<(int Line, string Verb, string Argument)> annotations, List<string> problems)
    {
        string? skip = null;
        var expects = new List<string>();
        foreach (var (at, verb, argument) in annotations)
        {
            if (argument.Length == 0)
            {
                problems.Add($"{file}:{at}: docs-test {verb} needs {(verb == "skip" ? "a reason" : "a text")}");
            }
            else if (verb == "skip")
            {
                skip = skip is null ? argument : skip + "; " + argument;
            }
            else
            {
                expects.Add(argument);
            }
        }

        return new DocBlock(file, line, code, skip, expects);
    }

    private static void ReportStranded(string file, List<(int Line, string Verb, string Argument)> pending, string why, List<string> problems) =>
        problems.AddRange(pending.Select(a => $"{file}:{a.Line}: the docs-test {a.Verb} annotation {why}"));

    /// <summary>The closing fence: the same character, at least as long, nothing after it; -1 when the page ends first.</summary>
    private static int FindClosingFence(string[] lines, int from, string opening)
    {
        for (var j = from; j < lines.Length; j++)
        {
            var trimmed = lines[j].Trim();
            if (trimmed.Length >= opening.Length && trimmed.All(c => c == opening[0]))
            {
                return j;
            }
        }

        return -1;
    }

    private static bool IsShell(string info) =>
        info.Equals("sh", StringComparison.OrdinalIgnoreCase) || info.Equals("bash", StringComparison.OrdinalIgnoreCase);

    private static string Unindent(string line, int indent)
    {
        var spaces = 0;
        while (spaces < indent && spaces < line.Length && line[spaces] == ' ')
        {
            spaces++;
        }

        return line[spaces..];
    }

    [GeneratedRegex(@"^\s*<!--\s*docs-test:\s*(?<verb>skip|expect):(?<argument>.*?)-->\s*$")]
    private static partial Regex Annotation();

    [GeneratedRegex(@"^(?<indent>\s*)(?<fence>`{3,}|~{3,})\s*(?<info>[^\s`]*)")]
    private static partial Regex Fence();
}

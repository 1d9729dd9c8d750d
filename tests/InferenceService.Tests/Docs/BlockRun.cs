namespace InferenceService.Tests.Docs;

/// <summary>What one block did: its exit code, its output, and every way it failed (none: it passed).</summary>
internal sealed record BlockRun(DocBlock Block, int? ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, IReadOnlyList<string> Failures)
{
    private const int ShownOutput = 4000;

    public bool Passed => Failures.Count == 0;

    /// <summary>The report of a failed block: where, why, the block as written, and what it printed.</summary>
    public string Describe() => $"""
        {Block.Location}: {string.Join("; ", Failures)}
        --- block ---
        {Block.Code}
        --- stdout ---
        {Tail(Stdout)}
        --- stderr ---
        {Tail(Stderr)}
        """;

    private static string Tail(string text) => text.Length <= ShownOutput ? text : "..." + text[^ShownOutput..];
}

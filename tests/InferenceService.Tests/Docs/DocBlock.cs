namespace InferenceService.Tests.Docs;

/// <summary>
/// A fenced <c>sh</c> or <c>bash</c> block of a Markdown page (docs/docs-test contract), with the docs-test annotations
/// written on the lines directly before its opening fence.
/// </summary>
/// <param name="File">The page, repository-relative (README.md, docs/protocol.md).</param>
/// <param name="Line">The opening fence's line, 1-based.</param>
/// <param name="Code">The block's text, the fence's indentation removed.</param>
/// <param name="SkipReason">Why the block is not run; null: it runs.</param>
/// <param name="Expects">Texts the block's stdout must contain, in the order written.</param>
internal sealed record DocBlock(string File, int Line, string Code, string? SkipReason, IReadOnlyList<string> Expects)
{
    public string Location => $"{File}:{Line}";
}

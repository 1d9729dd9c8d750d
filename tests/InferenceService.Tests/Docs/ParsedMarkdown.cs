namespace InferenceService.Tests.Docs;

/// <summary>The shell blocks of one page, and what is wrong with its annotations ("file:line: message" each).</summary>
internal sealed record ParsedMarkdown(IReadOnlyList<DocBlock> Blocks, IReadOnlyList<string> Problems);

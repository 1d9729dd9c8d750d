namespace InferenceService.Runtime.Pipelines;

/// <summary>The <c>pipeline</c> section of a sentence-embedding model: its WordPiece vocabulary in the version folder.</summary>
public sealed record TextEmbedderConfig
{
    public string Kind { get; init; } = string.Empty;

    public string Vocab { get; init; } = TextTokenizer.VocabFileName;
}

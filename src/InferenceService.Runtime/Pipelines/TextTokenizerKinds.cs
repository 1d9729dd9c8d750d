namespace InferenceService.Runtime.Pipelines;

/// <summary>The values of <c>pipeline.tokenizer.kind</c>.</summary>
public static class TextTokenizerKinds
{
    public const string WordPiece = "wordpiece";
    public const string Bpe = "bpe";
    public const string SentencePiece = "sentencepiece";
}

using Microsoft.ML.Tokenizers;

namespace InferenceService.Runtime.Pipelines;

/// <summary>The uncased BERT WordPiece tokenizer of a MiniLM version (its vocab.txt), built once when its version loads.</summary>
public sealed class TextTokenizer
{
    public const string VocabFileName = "vocab.txt";

    /// <summary>The most tokens any text is encoded to (Tasks:MaxTokens, a classifier's max_tokens): BERT's 512 positions.</summary>
    public const int MaxTokensLimit = 512;

    private readonly BertTokenizer _tokenizer;

    public TextTokenizer(Stream vocab)
    {
        // Uncased BERT: lower-case and strip accents (NFD, drop non-spacing marks) before WordPiece.
        _tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
    }

    /// <summary>
    /// Ids with [CLS] ... [SEP], at most <paramref name="maxTokens"/> of them: a longer text keeps its first tokens and
    /// still ends with [SEP], as the model saw in training.
    /// </summary>
    public EncodedText Encode(string text, int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 2);
        var ids = _tokenizer.EncodeToIds(AccentFolding.Fold(text));
        if (ids.Count <= maxTokens)
        {
            return new EncodedText(ids, ids.Count, false);
        }

        var kept = new int[maxTokens];
        for (var i = 0; i < maxTokens - 1; i++)
        {
            kept[i] = ids[i];
        }

        kept[^1] = ids[^1];
        return new EncodedText(kept, ids.Count, true);
    }
}

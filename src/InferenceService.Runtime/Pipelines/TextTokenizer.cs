using System.Text;
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
        ArgumentNullException.ThrowIfNull(vocab);

        // The vocabulary is read twice: once to count its entries (ids are line numbers), once by the tokenizer.
        using var copy = new MemoryStream();
        vocab.CopyTo(copy);
        VocabularySize = CountEntries(copy.GetBuffer().AsSpan(0, (int)copy.Length));
        copy.Position = 0;

        // Uncased BERT: lower-case and strip accents (NFD, drop non-spacing marks) before WordPiece.
        _tokenizer = BertTokenizer.Create(copy, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
    }

    /// <summary>Ids 0 to VocabularySize - 1 are rows of the model's token embedding table; no other id is valid.</summary>
    public int VocabularySize { get; }

    /// <summary>
    /// Ids with [CLS] ... [SEP], at most <paramref name="maxTokens"/> of them: a longer text keeps its first tokens and
    /// still ends with [SEP], as the model saw in training.
    /// </summary>
    public EncodedText Encode(string text, int maxTokens) => Encode(text, maxTokens, TruncationDirection.Right);

    /// <summary>
    /// Ids with [CLS] ... [SEP], at most <paramref name="maxTokens"/> of them; a longer text loses tokens at the
    /// <paramref name="direction"/> end but keeps [CLS] first and [SEP] last.
    /// </summary>
    public EncodedText Encode(string text, int maxTokens, TruncationDirection direction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 2);
        return EncodedText.Limit(_tokenizer.EncodeToIds(AccentFolding.Fold(text)), maxTokens, direction, framed: true);
    }

    /// <summary>
    /// Every token of <paramref name="text"/> (no limit) with the input text it covers. The ids are those
    /// <see cref="Encode(string, int)"/> gives: the input is normalised one code point at a time (normalisation maps
    /// each code point on its own), so each normalised character knows which input character it came from.
    /// </summary>
    public IReadOnlyList<TextToken> Tokenize(string text, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalizer = _tokenizer.Normalizer!;
        var normalized = new StringBuilder(text.Length);
        var origin = new List<int>(text.Length);
        for (var i = 0; i < text.Length;)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            var piece = normalizer.Normalize(AccentFolding.Fold(text.Substring(i, width)));
            normalized.Append(piece);
            origin.AddRange(Enumerable.Repeat(i, piece.Length));
            i += width;
        }

        var codePoints = CodePointOffsets(text);
        var tokens = new List<TextToken>();
        if (addSpecialTokens)
        {
            tokens.Add(new TextToken(_tokenizer.ClassificationTokenId, _tokenizer.ClassificationToken, true, null, null));
        }

        foreach (var token in _tokenizer.EncodeToTokens(normalized.ToString(), out _, considerPreTokenization: true, considerNormalization: false))
        {
            var (offset, length) = token.Offset.GetOffsetAndLength(normalized.Length);
            if (length == 0)
            {
                tokens.Add(new TextToken(token.Id, token.Value, true, null, null));
                continue;
            }

            var start = origin[offset];
            var last = origin[offset + length - 1];
            var stop = last + (char.IsHighSurrogate(text[last]) && last + 1 < text.Length && char.IsLowSurrogate(text[last + 1]) ? 2 : 1);
            tokens.Add(new TextToken(token.Id, text[start..stop], false, codePoints[start], codePoints[stop]));
        }

        if (addSpecialTokens)
        {
            tokens.Add(new TextToken(_tokenizer.SeparatorTokenId, _tokenizer.SeparatorToken, true, null, null));
        }

        return tokens;
    }

    /// <summary>For each UTF-16 index (and the end), how many code points come before it: offsets as Python and Rust count characters.</summary>
    private static int[] CodePointOffsets(string text)
    {
        var offsets = new int[text.Length + 1];
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            offsets[i] = count;
            if (!(char.IsLowSurrogate(text[i]) && i > 0 && char.IsHighSurrogate(text[i - 1])))
            {
                count++;
            }
        }

        offsets[text.Length] = count;
        return offsets;
    }

    private static int CountEntries(ReadOnlySpan<byte> vocab)
    {
        var lines = vocab.Count((byte)'\n');
        return vocab.Length > 0 && vocab[^1] != (byte)'\n' ? lines + 1 : lines;
    }
}

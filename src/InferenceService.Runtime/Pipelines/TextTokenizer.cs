using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// A text model's tokenizer, built once when its version loads and used by serving and by the training module alike:
/// WordPiece (BERT's vocab.txt), byte-pair encoding (vocab.json + merges.txt) or SentencePiece (a .model file), all
/// from Microsoft.ML.Tokenizers with their own normalisation (ICU: the build keeps globalization on). Texts are framed
/// by a first and a last special token where the model expects them ([CLS] ... [SEP], &lt;s&gt; ... &lt;/s&gt;).
/// </summary>
public sealed class TextTokenizer
{
    public const string VocabFileName = "vocab.txt";

    /// <summary>The most tokens any text is encoded to (Tasks:MaxTokens, a classifier's max_tokens): BERT's 512 positions.</summary>
    public const int MaxTokensLimit = 512;

    private readonly Tokenizer _tokenizer;
    private readonly Func<string, IReadOnlyList<int>> _encode;
    private readonly TextToken? _first;
    private readonly TextToken? _last;

    private TextTokenizer(Tokenizer tokenizer, Func<string, IReadOnlyList<int>> encode, int vocabularySize, TextToken? first, TextToken? last)
    {
        _tokenizer = tokenizer;
        _encode = encode;
        VocabularySize = vocabularySize;
        _first = first;
        _last = last;
    }

    /// <summary>The uncased BERT WordPiece tokenizer of <paramref name="vocab"/> (MiniLM's vocab.txt).</summary>
    public TextTokenizer(Stream vocab)
        : this(WordPiece(vocab, lowercase: true))
    {
    }

    /// <summary>Takes over a tokenizer the factories built, so the constructor above can keep its signature.</summary>
    private TextTokenizer(TextTokenizer built)
        : this(built._tokenizer, built._encode, built.VocabularySize, built._first, built._last)
    {
    }

    /// <summary>Ids 0 to VocabularySize - 1 are rows of the model's token embedding table; no other id is valid.</summary>
    public int VocabularySize { get; }

    /// <summary>
    /// BERT's WordPiece on a vocab.txt (ids are line numbers), [CLS] ... [SEP]. <paramref name="lowercase"/>: uncased
    /// BERT (lower-case, NFD and drop non-spacing marks, as Hugging Face's strip_accents follows lowercase).
    /// </summary>
    public static TextTokenizer WordPiece(Stream vocab, bool lowercase)
    {
        ArgumentNullException.ThrowIfNull(vocab);

        // The vocabulary is read twice: once to count its entries (ids are line numbers), once by the tokenizer.
        using var copy = new MemoryStream();
        vocab.CopyTo(copy);
        var size = CountLines(copy.GetBuffer().AsSpan(0, (int)copy.Length));
        copy.Position = 0;
        var bert = BertTokenizer.Create(copy, new BertOptions { LowerCaseBeforeTokenization = lowercase, RemoveNonSpacingMarks = lowercase });
        return new TextTokenizer(
            bert,
            text => bert.EncodeToIds(text, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true),
            size,
            Special(bert.ClassificationTokenId, bert.ClassificationToken),
            Special(bert.SeparatorTokenId, bert.SeparatorToken));
    }

    /// <summary>
    /// Byte-pair encoding on Hugging Face's vocab.json (token → id) and merges.txt. <paramref name="byteLevel"/>: GPT-2
    /// style (RoBERTa, most BPE models): UTF-8 bytes mapped to printable characters, GPT-2's pre-tokenisation.
    /// <paramref name="first"/> and <paramref name="last"/> name the tokens that frame every text (e.g. &lt;s&gt;, &lt;/s&gt;), or none.
    /// </summary>
    public static TextTokenizer Bpe(Stream vocab, Stream merges, bool byteLevel, string? unknown, string? first, string? last)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(merges);
        var ids = JsonSerializer.Deserialize<Dictionary<string, int>>(vocab)
            ?? throw new InvalidDataException("the vocabulary is not a JSON object of token → id");
        if (ids.Count == 0)
        {
            throw new InvalidDataException("the vocabulary is empty");
        }

        var specials = new[] { unknown, first, last }.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        foreach (var token in specials.Where(t => !ids.ContainsKey(t)))
        {
            throw new InvalidDataException($"the special token '{token}' is not in the vocabulary");
        }

        var options = new BpeOptions(ids)
        {
            Merges = ReadMerges(merges),
            ByteLevel = byteLevel,
            UnknownToken = unknown,
            PreTokenizer = byteLevel ? RobertaPreTokenizer.Instance : PreTokenizer.CreateWhiteSpace(),
            SpecialTokens = specials.ToDictionary(t => t, t => ids[t], StringComparer.Ordinal),
        };
        var bpe = BpeTokenizer.Create(options);
        return new TextTokenizer(
            bpe,
            text => bpe.EncodeToIds(text),
            ids.Values.Max() + 1,
            first is null ? null : Special(ids[first], first),
            last is null ? null : Special(ids[last], last));
    }

    /// <summary>
    /// SentencePiece (BPE or unigram) from a .model file, with its own normalisation; the model's beginning- and
    /// end-of-sentence tokens frame every text when <paramref name="addBos"/> and <paramref name="addEos"/>.
    /// </summary>
    public static TextTokenizer SentencePiece(Stream model, bool addBos, bool addEos)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sp = SentencePieceTokenizer.Create(model, addBeginningOfSentence: false, addEndOfSentence: false);
        return new TextTokenizer(
            sp,
            text => sp.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false),
            sp.Vocabulary.Values.Max() + 1,
            addBos ? Special(sp.BeginningOfSentenceId, sp.BeginningOfSentenceToken) : null,
            addEos ? Special(sp.EndOfSentenceId, sp.EndOfSentenceToken) : null);
    }

    /// <summary>
    /// Ids with the framing tokens, at most <paramref name="maxTokens"/> of them: a longer text keeps its first tokens and
    /// still ends with the last framing token ([SEP]), as the model saw in training.
    /// </summary>
    public EncodedText Encode(string text, int maxTokens) => Encode(text, maxTokens, TruncationDirection.Right);

    /// <summary>
    /// Ids with the framing tokens, at most <paramref name="maxTokens"/> of them; a longer text loses tokens at the
    /// <paramref name="direction"/> end but keeps the framing tokens first and last.
    /// </summary>
    public EncodedText Encode(string text, int maxTokens, TruncationDirection direction)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 2);
        var content = _encode(text);
        if (_first is null && _last is null)
        {
            return EncodedText.Limit(content, maxTokens, direction, keepFirst: false, keepLast: false);
        }

        var ids = new List<int>(content.Count + 2);
        if (_first is not null)
        {
            ids.Add(_first.Id);
        }

        ids.AddRange(content);
        if (_last is not null)
        {
            ids.Add(_last.Id);
        }

        return EncodedText.Limit(ids, maxTokens, direction, keepFirst: _first is not null, keepLast: _last is not null);
    }

    /// <summary>
    /// Every token of <paramref name="text"/> (no limit) with the input text it covers (code-point offsets). The ids are
    /// those <see cref="Encode(string, int)"/> gives.
    /// </summary>
    public IReadOnlyList<TextToken> Tokenize(string text, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<TextToken>();
        if (addSpecialTokens && _first is not null)
        {
            tokens.Add(_first);
        }

        tokens.AddRange(_tokenizer is BertTokenizer bert ? WordPieces(bert, text) : Pieces(text));
        if (addSpecialTokens && _last is not null)
        {
            tokens.Add(_last);
        }

        return tokens;
    }

    /// <summary>
    /// WordPiece tokens with offsets: the input is normalised one code point at a time (BERT's normalisation maps each
    /// code point on its own), so each normalised character knows which input character it came from.
    /// </summary>
    private static IEnumerable<TextToken> WordPieces(BertTokenizer bert, string text)
    {
        var normalizer = bert.Normalizer;
        var normalized = new StringBuilder(text.Length);
        var origin = new List<int>(text.Length);
        for (var i = 0; i < text.Length;)
        {
            var width = Width(text, i);
            var piece = text.Substring(i, width);
            piece = normalizer is null ? piece : normalizer.Normalize(piece);
            normalized.Append(piece);
            origin.AddRange(Enumerable.Repeat(i, piece.Length));
            i += width;
        }

        var codePoints = CodePointOffsets(text);
        var flat = normalized.ToString();
        foreach (var token in bert.EncodeToTokens(flat, out _, considerPreTokenization: true, considerNormalization: false))
        {
            var (offset, length) = token.Offset.GetOffsetAndLength(flat.Length);
            if (length == 0)
            {
                yield return new TextToken(token.Id, token.Value, true, null, null);
                continue;
            }

            var start = origin[offset];
            var last = origin[offset + length - 1];
            var stop = last + Width(text, last);
            yield return new TextToken(token.Id, text[start..stop], false, codePoints[start], codePoints[stop]);
        }
    }

    /// <summary>
    /// BPE and SentencePiece tokens. Their offsets point into the normalised text; where normalisation kept the length
    /// (BPE: none; SentencePiece: spaces become ▁, one more at the start with its dummy prefix) they map back to the
    /// input, otherwise a token's text is its piece and it has no offsets.
    /// </summary>
    private IEnumerable<TextToken> Pieces(string text)
    {
        var encoded = _tokenizer.EncodeToTokens(text, out var normalized);
        var shift = normalized is null ? 0 : normalized.Length - text.Length;
        var codePoints = CodePointOffsets(text);
        foreach (var token in encoded)
        {
            var (offset, length) = token.Offset.GetOffsetAndLength(normalized?.Length ?? text.Length);
            var start = Math.Max(0, offset - shift);
            var stop = offset + length - shift;
            if (shift is < 0 or > 1 || length == 0 || stop <= start || stop > text.Length)
            {
                yield return new TextToken(token.Id, token.Value, false, null, null);
                continue;
            }

            yield return new TextToken(token.Id, text[start..stop], false, codePoints[start], codePoints[stop]);
        }
    }

    private static TextToken Special(int id, string text) => new(id, text, true, null, null);

    /// <summary>UTF-16 units of the code point at <paramref name="i"/>: 2 for a surrogate pair.</summary>
    private static int Width(string text, int i) =>
        char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;

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

    /// <summary>Hugging Face's merges.txt: "a b" per line, after an optional "#version" header.</summary>
    private static List<string> ReadMerges(Stream merges)
    {
        using var reader = new StreamReader(merges, Encoding.UTF8, leaveOpen: true);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith("#version", StringComparison.Ordinal))
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    private static int CountLines(ReadOnlySpan<byte> vocab)
    {
        var lines = vocab.Count((byte)'\n');
        return vocab.Length > 0 && vocab[^1] != (byte)'\n' ? lines + 1 : lines;
    }
}

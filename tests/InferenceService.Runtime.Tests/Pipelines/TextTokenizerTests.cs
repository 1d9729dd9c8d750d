using InferenceService.Runtime.Pipelines;
using InferenceService.Tests.Shared;

namespace InferenceService.Runtime.Tests.Pipelines;

/// <summary>The MiniLM tokenizer on the provisioned models/minilm/1/vocab.txt (a build of src/InferenceService provisions it).</summary>
public sealed class TextTokenizerTests
{
    private static readonly Lazy<TextTokenizer> Tokenizer = new(() =>
    {
        using var vocab = File.OpenRead(Path.Combine(RepoModels.Dir("minilm"), "1", TextTokenizer.VocabFileName));
        return new TextTokenizer(vocab);
    });

    [Fact]
    public void Encode_KnownSentence_ReturnsKnownIds()
    {
        var encoded = Tokenizer.Value.Encode("This is a test.", 256);

        Assert.Equal([101, 2023, 2003, 1037, 3231, 1012, 102], encoded.Ids);
        Assert.False(encoded.Truncated);
    }

    [Fact]
    public void Encode_UpperCaseAndAccents_AreFoldedAsUncasedBert()
    {
        var folded = Tokenizer.Value.Encode("CAFÉ Crème", 256);

        Assert.Equal(Tokenizer.Value.Encode("cafe creme", 256).Ids, folded.Ids);
    }

    [Fact]
    public void ServingPath_AccentedCjkEmojiMixedScript_GivesTheIdsTrainingGives()
    {
        // The text embedder exactly as models/minilm's config builds it at load (the training module's test checks the same ids).
        var (gateway, _) = RecordingRunner.Serve("minilm", RepoModels.Config("minilm"), _ => [], Path.Combine(RepoModels.Dir("minilm"), "1"));
        using var ticket = gateway.AdmitPipeline<TextEmbedder>("minilm", PipelineKinds.TextEmbedder, out var embedder);

        var encoded = embedder.Encode(ticket, [.. TokenisationParityCases.All.Select(c => c.Text)], TextTokenizer.MaxTokensLimit, TruncationDirection.Right);

        Assert.Equal(TokenisationParityCases.All.Select(c => c.Ids), encoded.Select(e => e.Ids.ToArray()));
    }

    [Theory]
    [InlineData("Ελλάδα Μόσχα", "ελλαδα μοσχα")]
    [InlineData("Москва́ Ёлка", "москва елка")]
    [InlineData("Việt Nam Łódź", "viet nam łodz")]
    public void Encode_AccentsOfAnyScript_AreStrippedByIcuNormalisation(string text, string plain)
    {
        Assert.Equal(Tokenizer.Value.Encode(plain, 256).Ids, Tokenizer.Value.Encode(text, 256).Ids);
    }

    [Fact]
    public void Encode_MoreTokensThanTheLimit_KeepsTheFirstAndEndsWithSep()
    {
        var full = Tokenizer.Value.Encode("one two three four five six seven", 256);

        var cut = Tokenizer.Value.Encode("one two three four five six seven", 5);

        Assert.True(cut.Truncated);
        Assert.Equal(full.Ids.Count, cut.FullLength);
        Assert.Equal([.. full.Ids.Take(4), 102], cut.Ids);
    }

    [Fact]
    public void Encode_LeftTruncation_KeepsClsAndTheLastTokens()
    {
        var full = Tokenizer.Value.Encode("one two three four five six seven", 256);

        var cut = Tokenizer.Value.Encode("one two three four five six seven", 5, TruncationDirection.Left);

        Assert.True(cut.Truncated);
        Assert.Equal([101, .. full.Ids.TakeLast(4)], cut.Ids);
    }

    [Fact]
    public void VocabularySize_MiniLmVocab_Is30522()
    {
        Assert.Equal(30522, Tokenizer.Value.VocabularySize);
    }

    [Fact]
    public void Tokenize_KnownSentence_ReturnsIdsTextsAndOffsets()
    {
        var tokens = Tokenizer.Value.Tokenize("This is a test.", addSpecialTokens: true);

        Assert.Equal([101, 2023, 2003, 1037, 3231, 1012, 102], tokens.Select(t => t.Id));
        Assert.Equal(new TextToken(101, "[CLS]", true, null, null), tokens[0]);
        Assert.Equal(new TextToken(2023, "This", false, 0, 4), tokens[1]);
        Assert.Equal(new TextToken(1012, ".", false, 14, 15), tokens[5]);
        Assert.Equal(new TextToken(102, "[SEP]", true, null, null), tokens[6]);
    }

    [Fact]
    public void Tokenize_WithoutSpecialTokens_HasNoClsOrSep()
    {
        var tokens = Tokenizer.Value.Tokenize("This is a test.", addSpecialTokens: false);

        Assert.Equal([2023, 2003, 1037, 3231, 1012], tokens.Select(t => t.Id));
    }

    [Theory]
    [InlineData("CAFÉ Crème brûlée")]
    [InlineData("Cafe\u0301 with a combining accent")]
    [InlineData("tabs\tand\nnew lines")]
    [InlineData("日本語のテキスト and 中文")]
    [InlineData("emoji 😀 between words 🎉!")]
    [InlineData("unaffable tokenization")]
    [InlineData("  leading and trailing spaces  ")]
    public void Tokenize_AnyText_GivesTheIdsOfEncodeAndTheTextEachTokenCovers(string escaped)
    {
        var text = System.Text.RegularExpressions.Regex.Unescape(escaped);

        var tokens = Tokenizer.Value.Tokenize(text, addSpecialTokens: true);

        Assert.Equal(Tokenizer.Value.Encode(text, 10_000).Ids, tokens.Select(t => t.Id));
        var codePoints = text.EnumerateRunes().Select(r => r.ToString()).ToArray();
        foreach (var token in tokens.Where(t => !t.Special))
        {
            Assert.Equal(string.Concat(codePoints[token.Start!.Value..token.Stop!.Value]), token.Text);
        }
    }

    [Fact]
    public void Tokenize_SubwordPieces_CoverTheirPartOfTheWord()
    {
        var tokens = Tokenizer.Value.Tokenize("Unaffable", addSpecialTokens: false);

        Assert.True(tokens.Count > 1, "expected the word to split into pieces");
        Assert.Equal("Unaffable", string.Concat(tokens.Select(t => t.Text)));
        Assert.Equal(0, tokens[0].Start);
        Assert.Equal(9, tokens[^1].Stop);
    }

    [Fact]
    public void Limit_IdsAsGiven_CutsWithoutKeepingSpecialTokens()
    {
        int[] ids = [1, 2, 3, 4, 5];

        Assert.Equal([1, 2, 3], EncodedText.Limit(ids, 3, TruncationDirection.Right, framed: false).Ids);
        Assert.Equal([3, 4, 5], EncodedText.Limit(ids, 3, TruncationDirection.Left, framed: false).Ids);
        Assert.False(EncodedText.Limit(ids, 5, TruncationDirection.Left, framed: false).Truncated);
    }
}

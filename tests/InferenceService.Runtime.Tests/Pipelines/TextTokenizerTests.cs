using InferenceService.Runtime.Pipelines;

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
    public void Encode_MoreTokensThanTheLimit_KeepsTheFirstAndEndsWithSep()
    {
        var full = Tokenizer.Value.Encode("one two three four five six seven", 256);

        var cut = Tokenizer.Value.Encode("one two three four five six seven", 5);

        Assert.True(cut.Truncated);
        Assert.Equal(full.Ids.Count, cut.FullLength);
        Assert.Equal([.. full.Ids.Take(4), 102], cut.Ids);
    }
}

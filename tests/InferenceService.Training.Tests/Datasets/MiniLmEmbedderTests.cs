using InferenceService.Tests.Shared;
using InferenceService.Training.Datasets;

namespace InferenceService.Training.Tests.Datasets;

/// <summary>The embedder must reproduce what the text endpoints compute, or the spam head sees other inputs in serving.</summary>
[Trait("Category", "Training")]
public sealed class MiniLmEmbedderTests
{
    [Fact]
    public void Tokenize_KnownSentence_GivesBertIds()
    {
        using var embedder = new MiniLmEmbedder(TestPaths.MiniLm(), 256, 1);

        var ids = embedder.Tokenize("This is a test.");

        Assert.Equal([101L, 2023, 2003, 1037, 3231, 1012, 102], ids);
    }

    [Fact]
    public void Tokenize_AccentedCjkEmojiMixedScript_GivesTheIdsServingGives()
    {
        using var embedder = new MiniLmEmbedder(TestPaths.MiniLm(), 512, 1);

        foreach (var (text, ids) in TokenisationParityCases.All)
        {
            Assert.Equal(ids.Select(i => (long)i), embedder.Tokenize(text));
        }
    }

    [Fact]
    public void Embed_KnownSentence_MatchesReferenceAndIsUnitLength()
    {
        using var embedder = new MiniLmEmbedder(TestPaths.MiniLm(), 256, 1);

        var embedding = embedder.Embed(["This is a test."])[0];

        float[] reference = [0.033591f, 0.010513f, -0.017500f, 0.029352f, -0.009420f];
        for (var i = 0; i < reference.Length; i++)
        {
            Assert.Equal(reference[i], embedding[i], 4);
        }

        Assert.Equal(1.0, Math.Sqrt(embedding.Sum(v => (double)v * v)), 4);
    }

    [Fact]
    public void Tokenize_LongText_CapsAtMaxTokensEndingWithSep()
    {
        using var embedder = new MiniLmEmbedder(TestPaths.MiniLm(), 16, 1);

        var ids = embedder.Tokenize(string.Join(' ', Enumerable.Repeat("word", 100)));

        Assert.Equal(16, ids.Length);
        Assert.Equal(101, ids[0]);
        Assert.Equal(102, ids[^1]);
    }
}

using InferenceService.Runtime.Pipelines;

namespace InferenceService.Runtime.Tests.Pipelines;

public sealed class VectorMathTests
{
    [Fact]
    public void L2Normalize_Vector_ScalesToUnitLength()
    {
        float[] vector = [3, 4];

        VectorMath.L2Normalize(vector);

        Assert.Equal([0.6f, 0.8f], vector);
    }

    [Fact]
    public void L2Normalize_ZeroVector_StaysZero()
    {
        float[] vector = [0, 0, 0];

        VectorMath.L2Normalize(vector);

        Assert.Equal([0f, 0f, 0f], vector);
    }

    [Theory]
    [InlineData(new float[] { 1, 0 }, new float[] { 0, 2 }, 0f)]
    [InlineData(new float[] { 1, 2 }, new float[] { 2, 4 }, 1f)]
    [InlineData(new float[] { 1, 2 }, new float[] { -1, -2 }, -1f)]
    [InlineData(new float[] { 0, 0 }, new float[] { 1, 2 }, 0f)]
    public void Cosine_Vectors_ReturnsCosineOfTheirAngle(float[] a, float[] b, float expected)
    {
        var cosine = VectorMath.Cosine(a, b);

        Assert.Equal(expected, cosine, 6);
    }

    [Fact]
    public void Softmax_LargeLogits_DoesNotOverflowAndSumsToOne()
    {
        float[] logits = [1000, 999, 0];

        var probabilities = VectorMath.Softmax(logits);

        Assert.Equal(1 / (1 + Math.Exp(-1)), probabilities[0], 6);
        Assert.Equal(1, probabilities.Sum(), 6);
    }

    [Fact]
    public void TopK_Scores_ReturnsHighestFirstWithTiesByLowerIndex()
    {
        float[] scores = [0.2f, 0.9f, 0.5f, 0.9f, 0.1f];

        var top = VectorMath.TopK(scores, 3);

        Assert.Equal([new(1, 0.9f), new(3, 0.9f), new(2, 0.5f)], top);
    }

    [Fact]
    public void TopK_ExcludedIndicesAndNaN_AreNeverChosen()
    {
        float[] scores = [float.NaN, 0.9f, 0.5f, 0.7f];

        var top = VectorMath.TopK(scores, 10, i => i != 1);

        Assert.Equal([3, 2], top.Select(s => s.Index));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(VectorMath.SmallK)]
    [InlineData(VectorMath.SmallK + 1)]
    [InlineData(900)]
    public void TopK_RandomScoresWithTiesNaNAndExclusions_MatchesAFullSort(int k)
    {
        var random = new Random(17);
        for (var round = 0; round < 20; round++)
        {
            // Few distinct values, so ties are common; some NaN; every third index excluded.
            var scores = Enumerable.Range(0, 800).Select(_ => random.Next(10) == 0 ? float.NaN : random.Next(50) / 7f).ToArray();
            var expected = scores.Select((s, i) => new ScoredItem(i, s))
                .Where(s => !float.IsNaN(s.Score) && s.Index % 3 != 0)
                .OrderByDescending(s => s.Score).ThenBy(s => s.Index).Take(k).ToList();

            var top = VectorMath.TopK(scores, k, i => i % 3 != 0);

            Assert.Equal(expected, top);
        }
    }
}

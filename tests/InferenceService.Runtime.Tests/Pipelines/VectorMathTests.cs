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
}

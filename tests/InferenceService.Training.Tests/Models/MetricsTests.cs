using InferenceService.Training.Models;

namespace InferenceService.Training.Tests.Models;

[Trait("Category", "Training")]
public sealed class MetricsTests
{
    [Fact]
    public void ClassificationMetrics_KnownPredictions_GivesPrecisionAndRecall()
    {
        long[] actual = [0, 0, 0, 1, 1];
        long[] predicted = [0, 0, 1, 1, 0];

        var metrics = new ClassificationMetrics(["ham", "spam"], predicted, actual);

        Assert.Equal(0.6, metrics.Accuracy, 6);
        Assert.Equal(2.0 / 3, metrics.Precision(0), 6);
        Assert.Equal(2.0 / 3, metrics.Recall(0), 6);
        Assert.Equal(0.5, metrics.Precision(1), 6);
        Assert.Equal(0.5, metrics.Recall(1), 6);
        Assert.Equal(1, metrics.Confusion[0, 1]);
    }

    [Fact]
    public void RankingMetrics_TargetSecondAfterExcludingSeen_CountsHitWithDiscount()
    {
        // User 0 trained on item 0, test item 2; scores rank items 0 > 1 > 2 > 3. Item 0 is seen, so item 2 ranks second.
        int[][] histories = [[0, 2]];
        float[] scores = [9, 8, 7, 1];

        var metrics = RankingMetrics.Compute(histories, _ => scores, k: 2);

        Assert.Equal(1.0, metrics.HitRate);
        Assert.Equal(1 / Math.Log2(3), metrics.Ndcg, 6);
    }

    [Fact]
    public void RankingMetrics_TargetBelowCutoff_CountsMiss()
    {
        int[][] histories = [[0, 3]];
        float[] scores = [9, 8, 7, 1];

        var metrics = RankingMetrics.Compute(histories, _ => scores, k: 2);

        Assert.Equal(0.0, metrics.HitRate);
        Assert.Equal(0.0, metrics.Ndcg);
    }
}

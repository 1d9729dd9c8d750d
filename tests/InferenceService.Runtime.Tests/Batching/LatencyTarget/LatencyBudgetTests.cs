using InferenceService.Runtime.Batching.LatencyTarget;

namespace InferenceService.Runtime.Tests.Batching.LatencyTarget;

/// <summary>The AIMD plan factor: multiplicative decrease on a missed p99 (unless the queue is backlogged), additive increase otherwise.</summary>
public sealed class LatencyBudgetTests
{
    [Fact]
    public void Record_P99AboveTargetWithoutBacklog_MultipliesFactorByDecrease()
    {
        var budget = new LatencyBudget(100);

        budget.Record(backlogged: false, Enumerable.Repeat(120.0, 4));

        Assert.Equal(LatencyBudget.MaxFactor * LatencyBudget.Decrease, budget.Factor, 9);
        Assert.Equal(72, budget.PlanMs, 9);
        Assert.Equal("decrease", budget.LastAdjustment);
    }

    [Fact]
    public void Record_MissWhileRecentBatchBacklogged_HoldsFactor()
    {
        var budget = new LatencyBudget(100);
        budget.Record(backlogged: true, [50.0]);

        budget.Record(backlogged: false, [130.0]);

        Assert.Equal(LatencyBudget.MaxFactor, budget.Factor, 9);
        Assert.Equal("hold", budget.LastAdjustment);
    }

    [Fact]
    public void Record_SecondMissBeforeWindowRefreshed_DoesNotDecreaseAgain()
    {
        var budget = new LatencyBudget(100);
        budget.Record(false, [120.0]);

        budget.Record(false, Enumerable.Repeat(90.0, LatencyBudget.LatencyWindow - 2));

        // The window still holds the 120 ms miss, but fewer than 64 requests ran under the lowered factor.
        Assert.Equal(LatencyBudget.MaxFactor * LatencyBudget.Decrease, budget.Factor, 9);
        Assert.Equal("steady", budget.LastAdjustment);
    }

    [Fact]
    public void Record_WindowBackUnderTarget_RaisesFactorByIncreasePerBatchUpToMax()
    {
        var budget = new LatencyBudget(100);
        budget.Record(false, [120.0]);
        budget.Record(false, Enumerable.Repeat(60.0, LatencyBudget.LatencyWindow));
        var afterFirst = budget.Factor;

        budget.Record(false, [60.0]);

        Assert.Equal((LatencyBudget.MaxFactor * LatencyBudget.Decrease) + LatencyBudget.Increase, afterFirst, 9);
        Assert.Equal(afterFirst + LatencyBudget.Increase, budget.Factor, 9);
        for (var i = 0; i < 100; i++)
        {
            budget.Record(false, [60.0]);
        }

        Assert.Equal(LatencyBudget.MaxFactor, budget.Factor, 9);
    }

    [Fact]
    public void ObservedP99Ms_HundredLatencies_IsNearestRankOfLastSixtyFour()
    {
        var budget = new LatencyBudget(1000);

        budget.Record(true, Enumerable.Range(1, 100).Select(i => (double)i));

        // The window keeps 37..100; nearest rank ceil(0.99 · 64) = 64 is its largest.
        Assert.Equal(100, budget.ObservedP99Ms());
    }
}

using InferenceService.Runtime.Batching.LatencyTarget;

namespace InferenceService.Runtime.Tests.Batching.LatencyTarget;

/// <summary>The per-bucket mean arrival gap behind the keep-up and sparse decisions.</summary>
public sealed class ArrivalRateTests
{
    [Fact]
    public void Arrived_FirstRequest_LeavesGapUnknown()
    {
        var rate = new ArrivalRate();

        rate.Arrived(1_000);

        Assert.Null(rate.GapTicks);
    }

    [Fact]
    public void Arrived_QuietSpellAfterBurst_MovesMeanByOneEighthOfSpell()
    {
        var rate = new ArrivalRate();
        rate.Arrived(0);
        rate.Arrived(100);
        Assert.Equal(100, rate.GapTicks!.Value, 9);

        rate.Arrived(900);

        Assert.Equal(100 + (ArrivalRate.Smoothing * 700), rate.GapTicks!.Value, 9);
    }

    [Fact]
    public void Arrived_OutOfOrderTimestamp_CountsAsZeroGap()
    {
        var rate = new ArrivalRate();
        rate.Arrived(1_000);

        rate.Arrived(900);
        rate.Arrived(1_080);

        // 900 is before the latest (1 000): gap 0, and the next gap runs from 1 000, not 900.
        Assert.Equal(0 + (ArrivalRate.Smoothing * 80), rate.GapTicks!.Value, 9);
    }
}

using InferenceService.Runtime.Batching.LatencyTarget;

namespace InferenceService.Runtime.Tests.Batching.LatencyTarget;

/// <summary>The per-bucket cost model a + b·n: least squares when sizes vary, rescaling of the calibrated shape when they do not.</summary>
public sealed class BatchCostModelTests
{
    private static readonly CostPoint[] Calibration = [new(1, 12), new(2, 14), new(4, 18), new(8, 26), new(16, 42), new(32, 74)];

    [Fact]
    public void Fit_PointsOnALine_ReturnsItsInterceptAndSlope()
    {
        var line = CostLine.Fit(Calibration);

        Assert.NotNull(line);
        Assert.Equal(10, line.Value.InterceptMs, 9);
        Assert.Equal(2, line.Value.SlopeMs, 9);
    }

    [Fact]
    public void Fit_SizesWithinFactorOfTwo_ReturnsNull()
    {
        Assert.Null(CostLine.Fit([new(6, 30), new(8, 36), new(11, 40)]));
    }

    [Fact]
    public void Fit_NegativeIntercept_RefitsThroughOrigin()
    {
        var line = CostLine.Fit([new(1, 1), new(2, 4), new(4, 10)]);

        Assert.NotNull(line);
        Assert.Equal(0, line.Value.InterceptMs);
        // Through the origin: Σn·t / Σn² = (1 + 8 + 40) / (1 + 4 + 16).
        Assert.Equal(49.0 / 21, line.Value.SlopeMs, 9);
    }

    [Fact]
    public void Observe_OneSizeAtDoubleCost_ScalesCalibratedShapeOnceWindowIsAllNew()
    {
        var model = new BatchCostModel(CostLine.Fit(Calibration)!.Value, Calibration);

        for (var i = 0; i < BatchCostModel.Window; i++)
        {
            model.Observe(new CostPoint(6, 2 * (10 + (2 * 6))));
        }

        Assert.Equal(20, model.Line.InterceptMs, 9);
        Assert.Equal(4, model.Line.SlopeMs, 9);
        Assert.Equal(BatchCostModel.Window, model.Batches);
    }

    [Fact]
    public void Observe_VariedSizesAfterAdditiveChange_RefitsBothTermsOnceWindowIsAllNew()
    {
        var model = new BatchCostModel(CostLine.Fit(Calibration)!.Value, Calibration);

        for (var i = 0; i < BatchCostModel.Window; i++)
        {
            var n = 1 + (i % 8);
            model.Observe(new CostPoint(n, 25 + (3.0 * n)));
        }

        Assert.Equal(25, model.Line.InterceptMs, 9);
        Assert.Equal(3, model.Line.SlopeMs, 9);
    }

    [Fact]
    public void Constructor_NoSeed_StartsFromShape()
    {
        var model = new BatchCostModel(new CostLine(10, 2), []);

        Assert.Equal(new CostLine(10, 2), model.Line);
    }

    [Fact]
    public void Observe_TwoBatchesInARowAtDoubleCost_RestartsWindowFromThem()
    {
        var model = new BatchCostModel(CostLine.Fit(Calibration)!.Value, Calibration);

        model.Observe(new CostPoint(17, 88));
        model.Observe(new CostPoint(14, 76));

        // Window = those two (sizes within 2x): the calibrated shape scaled by (88 + 76) / (44 + 38) = 2.
        Assert.Equal(20, model.Line.InterceptMs, 9);
        Assert.Equal(4, model.Line.SlopeMs, 9);
    }

    [Fact]
    public void Observe_OneOutlier_IsOnlyAveragedIn()
    {
        var model = new BatchCostModel(CostLine.Fit(Calibration)!.Value, Calibration);

        model.Observe(new CostPoint(8, 3 * 26));
        model.Observe(new CostPoint(8, 26));

        // Still the calibration points plus both: a least-squares line pulled up a little, not a restart.
        Assert.InRange(model.Line.Predict(8), 26, 3 * 26 / 1.5);
        Assert.Equal(2, model.Batches);
    }
}

using InferenceService.Training.Models;
using InferenceService.Training.Reports;
using SkiaSharp;

namespace InferenceService.Training.Tests.Reports;

/// <summary>ScottPlot on the pinned SkiaSharp line (Directory.Packages.props): the training report's curves render.</summary>
[Trait("Category", "Training")]
public sealed class PlotRenderTests
{
    [Fact]
    public void CurvePlot_Write_RendersBothCurvesAsNonBlankPngs()
    {
        var folder = Directory.CreateTempSubdirectory("plot-").FullName;
        try
        {
            EpochRecord[] curve = [new(1, 0.9, 0.60, 1), new(2, 0.5, 0.80, 1), new(3, 0.3, 0.85, 1)];

            CurvePlot.Write(curve, "accuracy", folder);

            foreach (var name in new[] { "loss.png", "metric.png" })
            {
                using var bitmap = SKBitmap.Decode(Path.Combine(folder, name));
                Assert.NotNull(bitmap);
                Assert.Equal((640, 420), (bitmap.Width, bitmap.Height));
                // A white background with a drawn line and axes: more than one colour.
                Assert.True(bitmap.Pixels.Distinct().Take(3).Count() > 2, $"{name} is blank");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

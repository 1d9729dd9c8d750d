using InferenceService.Training.Models;
using ScottPlot;

namespace InferenceService.Training.Reports;

/// <summary>Loss and validation-metric curves per epoch as PNGs (ScottPlot 5).</summary>
internal static class CurvePlot
{
    public static void Write(IReadOnlyList<EpochRecord> curve, string metricName, string folder)
    {
        if (curve.Count == 0)
        {
            return;
        }

        double[] epochs = [.. curve.Select(r => (double)r.Epoch)];
        Save(epochs, [.. curve.Select(r => r.TrainLoss)], "training loss", "loss", Path.Combine(folder, "loss.png"));
        Save(epochs, [.. curve.Select(r => r.ValidationMetric)], metricName, metricName, Path.Combine(folder, "metric.png"));
    }

    private static void Save(double[] xs, double[] ys, string title, string yLabel, string path)
    {
        var plot = new Plot();
        var scatter = plot.Add.Scatter(xs, ys);
        scatter.LegendText = yLabel;
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        PlotFonts.Apply(plot);
        plot.SavePng(path, 640, 420);
    }
}

using System.Globalization;
using ScottPlot;

namespace InferenceService.Training.Reports;

/// <summary>Confusion matrix as a heatmap PNG, rows = true class, columns = predicted class, counts printed in cells.</summary>
internal static class ConfusionPlot
{
    public static void Write(int[,] confusion, IReadOnlyList<string> classNames, string path)
    {
        var n = classNames.Count;
        var intensities = new double[n, n];
        for (var r = 0; r < n; r++)
        {
            var total = Math.Max(1, Enumerable.Range(0, n).Sum(c => confusion[r, c]));
            for (var c = 0; c < n; c++)
            {
                intensities[r, c] = confusion[r, c] / (double)total;
            }
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c < n; c++)
            {
                // Heatmap row 0 is drawn at the top, so cell (r, c) is centred at (c, n - 1 - r).
                var text = plot.Add.Text(confusion[r, c].ToString(CultureInfo.InvariantCulture), c, n - 1 - r);
                text.LabelFontColor = intensities[r, c] > 0.5 ? Colors.Black : Colors.White;
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = n > 5 ? 10 : 16;
                text.LabelFontName = PlotFonts.Name;
            }
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, n).Select(i => (double)i)], [.. classNames]);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, n).Select(i => (double)(n - 1 - i))], [.. classNames]);
        plot.Title("confusion matrix (rows: true, columns: predicted)");
        PlotFonts.Apply(plot);
        plot.SavePng(path, 720, 640);
    }
}

using ScottPlot;

namespace InferenceService.Bench;

/// <summary>p99 against offered load, one panel per workload, one line per configuration, the target as a dashed line.</summary>
internal static class LatencyPlot
{
    // As in Plot: SkiaSharp's NoDependencies build draws no text without a font file loaded by path.
    private const string FontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    private const string FontName = "DejaVu Sans (bench)";

    public static void Write(IReadOnlyList<SweepResult> sweeps, double targetMs, string path)
    {
        var font = File.Exists(FontFile);
        if (font)
        {
            Fonts.AddFontFile(FontName, FontFile);
        }

        var workloads = sweeps.GroupBy(s => s.Workload).ToList();
        if (workloads.Count == 0)
        {
            return;
        }

        var multiplot = new Multiplot();
        multiplot.AddPlots(workloads.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        for (var i = 0; i < workloads.Count; i++)
        {
            var plot = multiplot.GetPlot(i);
            foreach (var sweep in workloads[i])
            {
                var points = sweep.Points.Where(p => !double.IsNaN(p.P99Ms)).ToList();
                var line = plot.Add.Scatter(points.Select(p => p.Fraction * 100).ToArray(), points.Select(p => p.P99Ms).ToArray());
                line.LegendText = sweep.Label;
            }

            var target = plot.Add.HorizontalLine(targetMs);
            target.LinePattern = LinePattern.Dashed;
            target.LegendText = $"target {targetMs} ms";
            if (font)
            {
                plot.Font.Set(FontName);
            }

            plot.Title($"{workloads[i].Key}: p99 vs offered load");
            plot.XLabel("offered load, % of the shipped setting's closed-loop throughput");
            plot.YLabel("p99 ms (from scheduled send)");
            plot.Axes.SetLimitsY(0, Math.Max(targetMs * 3, 1));
            plot.ShowLegend(Alignment.UpperLeft);
        }

        multiplot.SavePng(path, 1400, 600);
    }
}

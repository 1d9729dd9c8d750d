using ScottPlot;

namespace InferenceService.Bench;

/// <summary>Throughput and p99 latency against concurrency, one line per scenario, log-scaled y axes.</summary>
internal static class Plot
{
    // SkiaSharp's NoDependencies native build has no fontconfig: without a font file loaded by path, no text is drawn.
    private const string FontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    private const string FontName = "DejaVu Sans (bench)";

    public static void Write(IReadOnlyList<LoadPoint> points, string path)
    {
        var font = File.Exists(FontFile);
        if (font)
        {
            Fonts.AddFontFile(FontName, FontFile);
        }

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var throughput = multiplot.GetPlot(0);
        var p99 = multiplot.GetPlot(1);
        foreach (var group in points.Where(p => p.Requests > 0 && p.Scenario is not (Scenarios.BatchOn or Scenarios.BatchOff or Scenarios.ResNetBatchOn or Scenarios.ResNetBatchOff)).GroupBy(p => p.Scenario))
        {
            var xs = group.Select(p => (double)p.Concurrency).ToArray();
            var label = Scenarios.Descriptions.GetValueOrDefault(group.Key, group.Key);
            var t = throughput.Add.Scatter(xs, group.Select(p => Math.Log10(Math.Max(p.RequestsPerSecond, 0.1))).ToArray());
            t.LegendText = label;
            var l = p99.Add.Scatter(xs, group.Select(p => Math.Log10(Math.Max(p.P99Ms, 0.01))).ToArray());
            l.LegendText = label;
        }

        if (font)
        {
            throughput.Font.Set(FontName);
            p99.Font.Set(FontName);
        }

        Style(throughput, "Throughput vs concurrency", "requests/s (log)");
        Style(p99, "p99 latency vs concurrency", "p99 ms (log)");
        multiplot.SavePng(path, 1400, 600);
    }

    private static void Style(ScottPlot.Plot plot, string title, string y)
    {
        plot.Title(title);
        plot.XLabel("concurrent clients");
        plot.YLabel(y);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => Math.Pow(10, v).ToString("G3", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.ShowLegend(Alignment.UpperRight);
    }
}

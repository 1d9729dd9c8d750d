using ScottPlot;

namespace InferenceService.Training.Reports;

/// <summary>
/// The repository pins SkiaSharp's NoDependencies native build (no fontconfig), so Skia finds no system fonts and
/// plots come out without any text. We register a common TrueType font file by path instead; on a machine with
/// none of them the plots still render, just without labels.
/// </summary>
internal static class PlotFonts
{
    public const string Name = "ReportSans";

    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/Library/Fonts/Arial.ttf",
        "C:\\Windows\\Fonts\\arial.ttf",
    ];

    private static readonly Lazy<bool> Registered = new(() =>
    {
        var file = Candidates.FirstOrDefault(File.Exists);
        if (file is null)
        {
            return false;
        }

        Fonts.AddFontFile(Name, file);
        return true;
    });

    public static void Apply(Plot plot)
    {
        if (Registered.Value)
        {
            plot.Font.Set(Name);
        }
    }
}

using System.Globalization;
using SkiaSharp;

namespace InferenceService.Training.Tests.Heads;

/// <summary>Small image folders drawn in the test: one flat colour per label with a random light square, as PNGs.</summary>
internal static class GeneratedImages
{
    public static readonly (string Label, SKColor Colour)[] Colours =
        [("blue", new SKColor(30, 60, 220)), ("green", new SKColor(40, 180, 60)), ("red", new SKColor(220, 40, 40))];

    public static string Write(int perLabel, int seed = 7, IEnumerable<(string Label, SKColor Colour)>? labels = null)
    {
        var root = TestPaths.NewTempFolder();
        var random = new Random(seed);
        foreach (var (label, colour) in labels ?? Colours)
        {
            var folder = Path.Combine(root, label);
            Directory.CreateDirectory(folder);
            for (var i = 0; i < perLabel; i++)
            {
                File.WriteAllBytes(Path.Combine(folder, i.ToString("D3", CultureInfo.InvariantCulture) + ".png"), Draw(colour, random));
            }
        }

        return root;
    }

    private static byte[] Draw(SKColor colour, Random random)
    {
        using var bitmap = new SKBitmap(48, 40);
        using (var canvas = new SKCanvas(bitmap))
        {
            var jitter = (byte)random.Next(0, 30);
            canvas.Clear(new SKColor((byte)Math.Min(255, colour.Red + jitter), (byte)Math.Min(255, colour.Green + jitter), colour.Blue));
            using var paint = new SKPaint { Color = new SKColor(235, 235, 235) };
            canvas.DrawRect(random.Next(0, 30), random.Next(0, 24), random.Next(6, 16), random.Next(6, 14), paint);
        }

        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}

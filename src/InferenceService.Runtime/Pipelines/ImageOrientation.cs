using SkiaSharp;

namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// Applies the EXIF orientation a codec reports, so a phone photo stored sideways is seen upright, as every viewer
/// shows it; without this, a photo and its upright copy would embed far apart.
/// </summary>
public static class ImageOrientation
{
    /// <summary>Returns <paramref name="image"/> itself for TopLeft, else a new upright bitmap (the caller disposes both).</summary>
    public static SKBitmap Apply(SKBitmap image, SKEncodedOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(image);
        float w = image.Width, h = image.Height;

        // x' = scaleX*x + skewX*y + transX, y' = skewY*x + scaleY*y + transY: where stored pixel (x, y) is displayed.
        SKMatrix? matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
            _ => null,
        };
        if (matrix is not { } m)
        {
            return image;
        }

        var swaps = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var upright = new SKBitmap(new SKImageInfo(swaps ? image.Height : image.Width, swaps ? image.Width : image.Height, SKColorType.Bgra8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(upright);
        canvas.SetMatrix(m);
        // An image over the bitmap's own pixels (no copy): SkiaSharp 3 takes sampling options on DrawImage only.
        using var pixels = image.PeekPixels();
        using var source = SKImage.FromPixels(pixels);
        canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        canvas.Flush();
        return upright;
    }
}

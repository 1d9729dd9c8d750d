using SkiaSharp;

namespace InferenceService.Runtime.Pipelines;

/// <summary>Centre-crops to the target aspect ratio, resizes, and writes normalised planar (CHW) floats.</summary>
public static class ImagePreprocessor
{
    /// <summary>Pixels of one image in CHW order as <paramref name="spec"/> describes.</summary>
    public static float[] ToChw(SKBitmap image, ImageSpec spec)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(spec);
        var result = new float[spec.Channels * spec.Width * spec.Height];
        WriteChw(image, spec, result);
        return result;
    }

    /// <summary>Writes one image into <paramref name="destination"/> (channels x height x width floats).</summary>
    public static void WriteChw(SKBitmap image, ImageSpec spec, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(spec);
        using var resized = CropAndResize(image, spec.Width, spec.Height);
        var pixels = resized.GetPixelSpan();
        var plane = spec.Width * spec.Height;
        var rowBytes = resized.RowBytes;
        for (var y = 0; y < spec.Height; y++)
        {
            for (var x = 0; x < spec.Width; x++)
            {
                var p = (y * rowBytes) + (x * 4);
                float b = pixels[p], g = pixels[p + 1], r = pixels[p + 2];
                if (spec.Invert)
                {
                    (b, g, r) = (255 - b, 255 - g, 255 - r);
                }

                var offset = (y * spec.Width) + x;
                if (spec.Channels == 1)
                {
                    // ITU-R BT.601 luma, as PIL's convert("L") computes it (how MNIST-style greyscale is usually made).
                    destination[offset] = Normalize((0.299f * r) + (0.587f * g) + (0.114f * b), spec, 0);
                }
                else
                {
                    var (c0, c2) = spec.Bgr ? (b, r) : (r, b);
                    destination[offset] = Normalize(c0, spec, 0);
                    destination[plane + offset] = Normalize(g, spec, 1);
                    destination[(2 * plane) + offset] = Normalize(c2, spec, 2);
                }
            }
        }
    }

    /// <summary>The largest centred region of the target aspect ratio, resized to width x height (BGRA, premultiplied).</summary>
    public static SKBitmap CropAndResize(SKBitmap image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        var scale = Math.Min((double)image.Width / width, (double)image.Height / height);
        var cropWidth = (float)(width * scale);
        var cropHeight = (float)(height * scale);
        var left = (image.Width - cropWidth) / 2;
        var top = (image.Height - cropHeight) / 2;
        var source = new SKRect(left, top, left + cropWidth, top + cropHeight);

        var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(target);
        canvas.Clear(SKColors.Black);
        using var snapshot = SKImage.FromBitmap(image);

        // Mipmaps make large downscales average their pixels instead of skipping most of them (aliasing).
        canvas.DrawImage(snapshot, source, new SKRect(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        canvas.Flush();
        return target;
    }

    private static float Normalize(float pixel, ImageSpec spec, int channel)
    {
        var mean = spec.Mean[spec.Mean.Count == 1 ? 0 : channel];
        var std = spec.Std[spec.Std.Count == 1 ? 0 : channel];
        return ((pixel * spec.Scale) - mean) / std;
    }
}

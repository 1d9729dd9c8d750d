using SkiaSharp;

namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// Decodes JPEG, PNG and WebP with SkiaSharp. The header is read first and an image that declares more than the
/// pixel limit is refused before a single pixel is decoded (decompression bombs); a truncated or corrupt body is
/// refused rather than served half-grey; EXIF orientation is applied.
/// </summary>
public static class ImageDecoder
{
    private static readonly SKEncodedImageFormat[] Accepted = [SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Png, SKEncodedImageFormat.Webp];

    /// <summary>
    /// Returns a BGRA (premultiplied, so transparency composes onto black) bitmap the caller disposes. With
    /// <paramref name="atLeast"/>, formats that can decode at a reduced scale (JPEG, WebP) do so while both sides stay at
    /// least that large: a 12-megapixel photo for a 224x224 model is decoded at 1/8 the size, in 1/64 of the memory.
    /// </summary>
    public static SKBitmap Decode(ReadOnlySpan<byte> encoded, long maxPixels, string what = "image", SKSizeI? atLeast = null)
    {
        if (encoded.IsEmpty)
        {
            throw PipelineException.BadRequest($"The {what} is empty.");
        }

        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw PipelineException.BadRequest($"The {what} is not a JPEG, PNG or WebP image (its header is not recognised).");
        if (!Accepted.Contains(codec.EncodedFormat))
        {
            throw new PipelineException(PipelineErrorKind.UnsupportedMediaType, $"The {what} is {codec.EncodedFormat}; only JPEG, PNG and WebP are accepted.");
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width < 1 || height < 1)
        {
            throw PipelineException.BadRequest($"The {what} declares an empty size {width} x {height}.");
        }

        if ((long)width * height > maxPixels)
        {
            throw new PipelineException(PipelineErrorKind.TooLarge,
                $"The {what} declares {width} x {height} = {(long)width * height} pixels; the limit is {maxPixels} pixels (Tasks:MaxImagePixels).");
        }

        var size = new SKSizeI(width, height);
        if (atLeast is { } minimum)
        {
            // JPEG decodes at n/8 of its size (libjpeg's DCT scaling) and Skia rounds a requested scale down to one of
            // those, so the smallest eighth that still covers the minimum is found by trying them in turn.
            for (var eighths = 1; eighths < 8; eighths++)
            {
                var scaled = codec.GetScaledDimensions(eighths / 8f);
                if (scaled.Width >= minimum.Width && scaled.Height >= minimum.Height)
                {
                    size = scaled.Width <= width && scaled.Height <= height ? scaled : size;
                    break;
                }
            }
        }

        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Bgra8888, SKAlphaType.Premul);
        var bitmap = new SKBitmap(info);
        try
        {
            var result = codec.GetPixels(info, bitmap.GetPixels());
            if (result != SKCodecResult.Success)
            {
                throw PipelineException.BadRequest($"The {what} could not be decoded ({result}): the file is truncated or corrupt.");
            }

            var upright = ImageOrientation.Apply(bitmap, codec.EncodedOrigin);
            if (!ReferenceEquals(upright, bitmap))
            {
                bitmap.Dispose();
            }

            return upright;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }
}

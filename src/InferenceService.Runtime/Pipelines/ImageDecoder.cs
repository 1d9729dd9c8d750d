using SkiaSharp;

namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// Decodes JPEG, PNG and WebP with SkiaSharp. The header is read first and an image that declares more than the
/// pixel limit is refused before a single pixel is decoded (decompression bombs); a truncated or corrupt body is
/// refused rather than served half-grey.
/// </summary>
public static class ImageDecoder
{
    private static readonly SKEncodedImageFormat[] Accepted = [SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Png, SKEncodedImageFormat.Webp];

    /// <summary>Returns a BGRA (premultiplied, so transparency composes onto black) bitmap the caller disposes.</summary>
    public static SKBitmap Decode(ReadOnlySpan<byte> encoded, long maxPixels, string what = "image")
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

        var info = new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul);
        var bitmap = new SKBitmap(info);
        try
        {
            var result = codec.GetPixels(info, bitmap.GetPixels());
            if (result != SKCodecResult.Success)
            {
                throw PipelineException.BadRequest($"The {what} could not be decoded ({result}): the file is truncated or corrupt.");
            }

            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }
}

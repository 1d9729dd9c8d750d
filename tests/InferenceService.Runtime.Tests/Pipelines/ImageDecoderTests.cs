using InferenceService.Runtime.Pipelines;
using SkiaSharp;

namespace InferenceService.Runtime.Tests.Pipelines;

public sealed class ImageDecoderTests
{
    [Fact]
    public void Decode_Png_ReturnsItsPixels()
    {
        var png = Encode(SKColors.Orange, 30, 20, SKEncodedImageFormat.Png);

        using var bitmap = ImageDecoder.Decode(png, maxPixels: 600);

        Assert.Equal((30, 20), (bitmap.Width, bitmap.Height));
        Assert.Equal(SKColors.Orange, bitmap.GetPixel(15, 10));
    }

    // Every format the decoder accepts, on the pinned SkiaSharp (Directory.Packages.props): encoded by its own encoders,
    // decoded back to the same size and colour. Lossy JPEG and WebP may move a flat colour by a few levels.
    [Theory]
    [InlineData(SKEncodedImageFormat.Png, 0)]
    [InlineData(SKEncodedImageFormat.Jpeg, 4)]
    [InlineData(SKEncodedImageFormat.Webp, 4)]
    public void Decode_EachAcceptedFormat_ReturnsItsSizeAndColour(SKEncodedImageFormat format, int tolerance)
    {
        var encoded = Encode(SKColors.Orange, 64, 48, format);

        using var bitmap = ImageDecoder.Decode(encoded, maxPixels: 64 * 48);

        Assert.Equal((64, 48), (bitmap.Width, bitmap.Height));
        var pixel = bitmap.GetPixel(32, 24);
        Assert.True(Math.Abs(pixel.Red - SKColors.Orange.Red) <= tolerance && Math.Abs(pixel.Green - SKColors.Orange.Green) <= tolerance
            && Math.Abs(pixel.Blue - SKColors.Orange.Blue) <= tolerance, $"{format}: {pixel} vs {SKColors.Orange}");
    }

    [Fact]
    public void Decode_Gif_ThrowsUnsupportedMediaTypeNamingTheAcceptedFormats()
    {
        // A 1x1 GIF89a: header, logical screen with a 2-colour table, one image, LZW minimum code size 2, trailer.
        byte[] gif =
        [
            (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a', 1, 0, 1, 0, 0x80, 0, 0,
            0, 0, 0, 0xFF, 0xFF, 0xFF,
            0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0,
            2, 2, 0x44, 0x01, 0,
            0x3B,
        ];

        var e = Assert.Throws<PipelineException>(() => ImageDecoder.Decode(gif, maxPixels: 100));

        Assert.Equal(PipelineErrorKind.UnsupportedMediaType, e.Kind);
        Assert.Contains("only JPEG, PNG and WebP", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_MorePixelsThanTheLimit_ThrowsTooLargeStatingTheLimit()
    {
        var png = Encode(SKColors.Orange, 30, 20, SKEncodedImageFormat.Png);

        var e = Assert.Throws<PipelineException>(() => ImageDecoder.Decode(png, maxPixels: 599));

        Assert.Equal(PipelineErrorKind.TooLarge, e.Kind);
        Assert.Contains("the limit is 599 pixels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_LargeJpegWithAMinimumSize_DecodesAtAReducedScaleNoSmallerThanIt()
    {
        var jpeg = Encode(SKColors.Orange, 1600, 1200, SKEncodedImageFormat.Jpeg);

        using var bitmap = ImageDecoder.Decode(jpeg, maxPixels: 2_000_000, atLeast: new SKSizeI(224, 224));

        Assert.Equal((400, 300), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public void Decode_PngWithAMinimumSize_DecodesAtFullSize()
    {
        var png = Encode(SKColors.Orange, 600, 400, SKEncodedImageFormat.Png);

        using var bitmap = ImageDecoder.Decode(png, maxPixels: 1_000_000, atLeast: new SKSizeI(28, 28));

        Assert.Equal((600, 400), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public void Decode_JpegWithExifOrientation6_IsTurnedUpright()
    {
        // Stored 40x20: left half red, right half blue. Orientation 6 displays it turned 90 degrees clockwise, 20x40,
        // so the left (red) half becomes the top.
        using var stored = new SKBitmap(40, 20);
        stored.Erase(SKColors.Red);
        using (var canvas = new SKCanvas(stored))
        {
            using var paint = new SKPaint { Color = SKColors.Blue };
            canvas.DrawRect(20, 0, 20, 20, paint);
        }

        var jpeg = WithExifOrientation(Encode(stored), 6);

        using var bitmap = ImageDecoder.Decode(jpeg, maxPixels: 1_000_000);

        Assert.Equal((20, 40), (bitmap.Width, bitmap.Height));
        Assert.True(bitmap.GetPixel(10, 5).Red > 200 && bitmap.GetPixel(10, 5).Blue < 60, $"top is {bitmap.GetPixel(10, 5)}");
        Assert.True(bitmap.GetPixel(10, 35).Blue > 200 && bitmap.GetPixel(10, 35).Red < 60, $"bottom is {bitmap.GetPixel(10, 35)}");
    }

    [Fact]
    public void Decode_TruncatedJpeg_ThrowsBadRequest()
    {
        var jpeg = Encode(SKColors.Orange, 200, 200, SKEncodedImageFormat.Jpeg);

        var e = Assert.Throws<PipelineException>(() => ImageDecoder.Decode(jpeg.AsSpan(0, jpeg.Length / 2), maxPixels: 1_000_000));

        Assert.Equal(PipelineErrorKind.BadRequest, e.Kind);
    }

    [Fact]
    public void Decode_Text_ThrowsBadRequest()
    {
        var e = Assert.Throws<PipelineException>(() => ImageDecoder.Decode("plain text"u8, maxPixels: 1_000_000));

        Assert.Equal(PipelineErrorKind.BadRequest, e.Kind);
    }

    private static byte[] Encode(SKColor color, int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        return Encode(bitmap, format);
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format = SKEncodedImageFormat.Jpeg)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        return data.ToArray();
    }

    /// <summary>The JPEG with an APP1 Exif segment (big-endian TIFF, one IFD entry: Orientation) right after SOI.</summary>
    private static byte[] WithExifOrientation(byte[] jpeg, byte orientation)
    {
        byte[] app1 =
        [
            0xFF, 0xE1, 0x00, 34, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0, 0, 0, 8,
            0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0,
            0, 0, 0, 0,
        ];
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }
}

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
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }
}

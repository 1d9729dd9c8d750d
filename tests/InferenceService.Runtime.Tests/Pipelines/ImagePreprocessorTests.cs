using InferenceService.Runtime.Pipelines;
using SkiaSharp;

namespace InferenceService.Runtime.Tests.Pipelines;

public sealed class ImagePreprocessorTests
{
    [Fact]
    public void ToChw_ResNetSpec_WritesBgrPlanesMinusTheChannelMeans()
    {
        using var image = Solid(new SKColor(200, 100, 50), 50, 40);

        var chw = ImagePreprocessor.ToChw(image, ImageSpec.ResNet18);

        const int plane = 224 * 224;
        Assert.Equal(3 * plane, chw.Length);
        Assert.Equal(50 - 103.06f, chw[0], 3);
        Assert.Equal(100 - 115.90f, chw[plane + 1234], 3);
        Assert.Equal(200 - 123.15f, chw[(2 * plane) + plane - 1], 3);
    }

    [Fact]
    public void ToChw_OneChannelSpec_UsesLumaScaleMeanAndStd()
    {
        using var image = Solid(new SKColor(255, 255, 255), 56, 56);
        var spec = new ImageSpec { Width = 28, Height = 28, Channels = 1, Scale = 1 / 255f, Mean = [0.1307f], Std = [0.3081f] };

        var chw = ImagePreprocessor.ToChw(image, spec);

        Assert.Equal(784, chw.Length);
        Assert.All(chw, v => Assert.Equal((1 - 0.1307f) / 0.3081f, v, 3));
    }

    [Fact]
    public void ToChw_Invert_TurnsBlackIntoWhite()
    {
        using var image = Solid(SKColors.Black, 28, 28);
        var spec = new ImageSpec { Width = 28, Height = 28, Channels = 1, Scale = 1 / 255f, Invert = true };

        var chw = ImagePreprocessor.ToChw(image, spec);

        Assert.All(chw, v => Assert.Equal(1f, v, 3));
    }

    [Fact]
    public void CropAndResize_WideImage_KeepsTheCentreSquare()
    {
        // Red sides, a green centre square: a centre crop to 1:1 sees only green.
        using var image = Solid(SKColors.Red, 300, 100);
        using (var canvas = new SKCanvas(image))
        {
            using var paint = new SKPaint { Color = SKColors.Lime };
            canvas.DrawRect(100, 0, 100, 100, paint);
        }

        using var square = ImagePreprocessor.CropAndResize(image, 20, 20);

        Assert.Equal(SKColors.Lime, square.GetPixel(0, 10));
        Assert.Equal(SKColors.Lime, square.GetPixel(19, 10));
    }

    [Fact]
    public void Problem_StdOfZero_IsReported()
    {
        var spec = new ImageSpec { Width = 28, Height = 28, Channels = 1, Std = [0] };

        Assert.Contains("std", spec.Problem(), StringComparison.Ordinal);
    }

    private static SKBitmap Solid(SKColor color, int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul));
        bitmap.Erase(color);
        return bitmap;
    }
}

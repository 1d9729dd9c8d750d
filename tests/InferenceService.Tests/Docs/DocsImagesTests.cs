using System.Buffers.Binary;
using InferenceService.Tests.Browser;

namespace InferenceService.Tests.Docs;

/// <summary>The committed screenshots (docs/images) are the small PNGs the browser tests take, without a browser.</summary>
public sealed class DocsImagesTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Theory]
    [InlineData("demo-page.png")]
    [InlineData("swagger-ui.png")]
    public void Screenshot_Committed_IsASmallPngAtTheTestsViewport(string name)
    {
        var png = File.ReadAllBytes(Path.Combine(DocsScreenshots.Folder, name));

        Assert.Equal(PngSignature, png[..8]);
        Assert.True(png.Length < DocsScreenshots.MaxBytes, $"{name}: {png.Length} bytes");

        // IHDR is the first chunk: width and height, big-endian, at bytes 16 and 20.
        Assert.Equal(DocsScreenshots.Viewport.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(DocsScreenshots.Viewport.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}

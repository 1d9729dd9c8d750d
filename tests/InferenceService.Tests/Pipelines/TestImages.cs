using System.Buffers.Binary;
using SkiaSharp;

namespace InferenceService.Tests.Pipelines;

/// <summary>Images the tests draw themselves (no binary fixtures), and deliberately broken ones.</summary>
internal static class TestImages
{
    public enum Scene
    {
        /// <summary>Sky blue with a red disc and a green bar: a "photo" with large smooth regions.</summary>
        DiscAndBar,

        /// <summary>A black-and-white checkerboard: high-frequency and colourless, unlike <see cref="DiscAndBar"/>.</summary>
        Checkerboard,
    }

    public static SKBitmap Draw(Scene scene, int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        using var paint = new SKPaint { IsAntialias = true };
        switch (scene)
        {
            case Scene.DiscAndBar:
                canvas.Clear(new SKColor(135, 206, 235));
                paint.Color = SKColors.Red;
                canvas.DrawCircle(width * 0.4f, height * 0.45f, Math.Min(width, height) * 0.25f, paint);
                paint.Color = SKColors.ForestGreen;
                canvas.DrawRect(0, height * 0.8f, width, height * 0.2f, paint);
                break;
            default:
                canvas.Clear(SKColors.White);
                paint.Color = SKColors.Black;
                var cell = Math.Max(1, width / 16);
                for (var y = 0; y < height; y += cell)
                {
                    for (var x = (y / cell) % 2 * cell; x < width; x += 2 * cell)
                    {
                        canvas.DrawRect(x, y, cell, cell, paint);
                    }
                }

                break;
        }

        return bitmap;
    }

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 90)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }

    public static byte[] Encode(Scene scene, int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = Draw(scene, width, height);
        return Encode(bitmap, format);
    }

    /// <summary>A solid grey (0 = black, 255 = white) PNG.</summary>
    public static byte[] Solid(byte grey, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Premul));
        bitmap.Erase(new SKColor(grey, grey, grey));
        return Encode(bitmap, SKEncodedImageFormat.Png);
    }

    /// <summary>
    /// A well-formed PNG header (signature, IHDR with valid CRC, a tiny IDAT, IEND) declaring <paramref name="width"/> x
    /// <paramref name="height"/> RGB pixels: a decompression bomb's header without the bomb.
    /// </summary>
    public static byte[] PngHeader(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type RGB
        WriteChunk(stream, "IHDR", ihdr);
        WriteChunk(stream, "IDAT", [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);
        WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        stream.Write(number);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed, 4);
        stream.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        stream.Write(number);
    }

    /// <summary>The CRC-32 PNG chunks carry (ISO 3309, reflected 0xEDB88320).</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}

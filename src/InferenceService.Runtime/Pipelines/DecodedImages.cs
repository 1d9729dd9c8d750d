using SkiaSharp;

namespace InferenceService.Runtime.Pipelines;

/// <summary>The decoded images of one request; disposing frees their pixels.</summary>
public sealed class DecodedImages : IDisposable
{
    private readonly List<SKBitmap> _images = [];

    private DecodedImages()
    {
    }

    public IReadOnlyList<SKBitmap> Images => _images;

    /// <summary>Decodes every upload (each header checked against <paramref name="maxPixels"/> first); errors name the image.</summary>
    public static DecodedImages Decode(IReadOnlyList<ReadOnlyMemory<byte>> encoded, long maxPixels)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var decoded = new DecodedImages();
        try
        {
            for (var i = 0; i < encoded.Count; i++)
            {
                decoded._images.Add(ImageDecoder.Decode(encoded[i].Span, maxPixels, encoded.Count == 1 ? "image" : $"image #{i + 1}"));
            }

            return decoded;
        }
        catch
        {
            decoded.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var image in _images)
        {
            image.Dispose();
        }

        _images.Clear();
    }
}

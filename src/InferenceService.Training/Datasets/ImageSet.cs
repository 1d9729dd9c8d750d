namespace InferenceService.Training.Datasets;

/// <summary>28×28 grayscale images as raw bytes (row-major, one image after another) with their class labels.</summary>
internal sealed record ImageSet(byte[] Pixels, byte[] Labels, int Height, int Width)
{
    public int Count => Labels.Length;

    public int ImageSize => Height * Width;

    /// <summary>A subset of at most <paramref name="count"/> images, taken with a stride so every class stays present.</summary>
    public ImageSet Take(int count)
    {
        if (count >= Count)
        {
            return this;
        }

        var pixels = new byte[count * ImageSize];
        var labels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            var source = (int)((long)i * Count / count);
            Array.Copy(Pixels, source * ImageSize, pixels, i * ImageSize, ImageSize);
            labels[i] = Labels[source];
        }

        return new ImageSet(pixels, labels, Height, Width);
    }
}

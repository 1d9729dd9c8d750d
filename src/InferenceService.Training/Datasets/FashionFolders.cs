using System.Globalization;
using SkiaSharp;

namespace InferenceService.Training.Datasets;

/// <summary>
/// Fashion-MNIST as an image folder for the fair comparison: the first N training images of each class written as 28×28
/// greyscale PNGs (lossless, so both methods read the same pixels), and read back as an <see cref="ImageSet"/> for the CNN.
/// </summary>
internal static class FashionFolders
{
    /// <summary>Folder names: the class names with '/' (T-shirt/top) made file-system safe.</summary>
    public static string FolderName(string label) => label.Replace('/', '-');

    public static void Write(ImageSplits data, int perLabel, string folder)
    {
        var written = new int[data.ClassNames.Count];
        var train = data.Train;
        for (var i = 0; i < train.Count; i++)
        {
            var label = train.Labels[i];
            if (written[label] >= perLabel)
            {
                continue;
            }

            var directory = Path.Combine(folder, FolderName(data.ClassNames[label]));
            Directory.CreateDirectory(directory);
            using var bitmap = new SKBitmap(new SKImageInfo(train.Width, train.Height, SKColorType.Gray8, SKAlphaType.Opaque));
            train.Pixels.AsSpan(i * train.ImageSize, train.ImageSize).CopyTo(bitmap.GetPixelSpan());
            using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(directory, written[label].ToString("D5", CultureInfo.InvariantCulture) + ".png"), png.ToArray());
            written[label]++;
        }
    }

    /// <summary>The chosen files decoded back to 28×28 grey bytes, labelled as the image folder labels them.</summary>
    public static ImageSet Read(LabelledItems items, IEnumerable<int> indices)
    {
        var chosen = indices.ToArray();
        var pixels = new byte[chosen.Length * 784];
        var labels = new byte[chosen.Length];
        for (var k = 0; k < chosen.Length; k++)
        {
            using var bitmap = SKBitmap.Decode(items.Items[chosen[k]], new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque))
                ?? throw new InvalidDataException($"{items.Items[chosen[k]]} is not a 28×28 PNG.");
            bitmap.GetPixelSpan().CopyTo(pixels.AsSpan(k * 784, 784));
            labels[k] = (byte)items.LabelIndex[chosen[k]];
        }

        return new ImageSet(pixels, labels, 28, 28);
    }
}

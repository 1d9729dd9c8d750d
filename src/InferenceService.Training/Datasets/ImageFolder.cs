namespace InferenceService.Training.Datasets;

/// <summary>Reads <c>dir/&lt;label&gt;/*.{jpg,jpeg,png,webp}</c>: one sub-folder per label; other files are ignored.</summary>
internal static class ImageFolder
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".webp"];

    public static LabelledItems Scan(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new TrainingDataException($"{folder} does not exist: expected a folder with one sub-folder of images per label.");
        }

        var labels = Directory.EnumerateDirectories(folder)
            .Select(Path.GetFileName)
            .Where(n => !string.IsNullOrEmpty(n) && !n.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToList();
        var files = new List<string>();
        var index = new List<int>();
        for (var label = 0; label < labels.Count; label++)
        {
            var images = Directory.EnumerateFiles(Path.Combine(folder, labels[label]!))
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
            foreach (var image in images)
            {
                files.Add(image);
                index.Add(label);
            }
        }

        return new LabelledItems(files, [.. index], labels!);
    }
}

namespace InferenceService.Training.Datasets;

/// <summary>Examples (file paths or texts) with their label index into <see cref="Labels"/> (sorted ordinally).</summary>
internal sealed record LabelledItems(IReadOnlyList<string> Items, int[] LabelIndex, IReadOnlyList<string> Labels)
{
    public const int MinPerLabel = 5;

    /// <summary>Refuses one label or a label with fewer than <see cref="MinPerLabel"/> examples, naming them.</summary>
    public void Check(string source)
    {
        if (Labels.Count < 2)
        {
            throw new TrainingDataException(Labels.Count == 0
                ? $"{source} has no labels: expected at least 2."
                : $"{source} has only one label ('{Labels[0]}'): a classifier needs at least 2.");
        }

        var small = Labels.Select((label, i) => (label, count: LabelIndex.Count(l => l == i))).Where(p => p.count < MinPerLabel).ToList();
        if (small.Count > 0)
        {
            throw new TrainingDataException(
                $"{source}: every label needs at least {MinPerLabel} usable examples (1 held out, 1 for validation, the rest to train); " +
                string.Join(", ", small.Select(p => $"'{p.label}' has {p.count}")) + ".");
        }
    }
}

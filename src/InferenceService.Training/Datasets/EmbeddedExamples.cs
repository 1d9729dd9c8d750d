namespace InferenceService.Training.Datasets;

/// <summary>
/// One embedding per example with its label; <see cref="Augmented"/> holds extra training vectors per example (flipped,
/// cropped images) that join the training set only, so validation and held-out figures are on originals.
/// </summary>
internal sealed record EmbeddedExamples(IReadOnlyList<float[]> Vectors, int[] Labels, IReadOnlyList<string> ClassNames, int Width)
{
    public IReadOnlyDictionary<int, IReadOnlyList<float[]>> Augmented { get; init; } = new Dictionary<int, IReadOnlyList<float[]>>();

    public (List<float[]> Vectors, int[] Labels) TrainingSet(int[] train)
    {
        var vectors = new List<float[]>();
        var labels = new List<int>();
        foreach (var i in train)
        {
            vectors.Add(Vectors[i]);
            labels.Add(Labels[i]);
            foreach (var extra in Augmented.GetValueOrDefault(i) ?? [])
            {
                vectors.Add(extra);
                labels.Add(Labels[i]);
            }
        }

        return (vectors, [.. labels]);
    }
}

namespace InferenceService.Training.Datasets;

/// <summary>
/// Per label, a seeded shuffle: the first <c>heldOut</c> share (at least one) is the held-out set, never seen in
/// training; the next <c>validation</c> share (at least one) decides early stopping; the rest trains.
/// </summary>
internal sealed record StratifiedSplit(int[] Train, int[] Validation, int[] HeldOut)
{
    public const double HeldOutFraction = 0.2;
    public const double ValidationFraction = 0.1;

    public static StratifiedSplit Create(int[] labels, int classes, int seed, double heldOut = HeldOutFraction, double validation = ValidationFraction)
    {
        var random = new Random(seed);
        var train = new List<int>();
        var valid = new List<int>();
        var test = new List<int>();
        for (var c = 0; c < classes; c++)
        {
            var indices = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            random.Shuffle(indices);
            var held = Math.Max(1, (int)Math.Round(indices.Length * heldOut));
            var valCount = Math.Max(1, (int)Math.Round(indices.Length * validation));
            test.AddRange(indices[..held]);
            valid.AddRange(indices[held..(held + valCount)]);
            train.AddRange(indices[(held + valCount)..]);
        }

        return new([.. train.Order()], [.. valid.Order()], [.. test.Order()]);
    }
}

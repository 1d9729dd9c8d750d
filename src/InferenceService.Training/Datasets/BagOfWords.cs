using System.Text;

namespace InferenceService.Training.Datasets;

/// <summary>
/// The from-scratch text baseline's features: lower-cased letter/digit words hashed into <see cref="Width"/> buckets,
/// log(1 + count), L2-normalised. No pretrained knowledge, so a head on these learns everything from the training texts.
/// </summary>
internal static class BagOfWords
{
    public const int Width = 4096;

    public static float[] Vector(string text)
    {
        var vector = new float[Width];
        var word = new StringBuilder();
        foreach (var c in text.Append(' '))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            if (word.Length > 0)
            {
                // FNV-1a: stable across runs and processes, unlike string.GetHashCode.
                var hash = 2166136261u;
                foreach (var ch in word.ToString())
                {
                    hash = (hash ^ ch) * 16777619u;
                }

                vector[hash % Width]++;
                word.Clear();
            }
        }

        double norm = 0;
        for (var i = 0; i < Width; i++)
        {
            vector[i] = MathF.Log(1 + vector[i]);
            norm += vector[i] * vector[i];
        }

        var scale = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0;
        for (var i = 0; i < Width; i++)
        {
            vector[i] *= scale;
        }

        return vector;
    }
}

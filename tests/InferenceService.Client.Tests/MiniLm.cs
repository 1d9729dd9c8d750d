namespace InferenceService.Client.Tests;

/// <summary>"This is a test." for MiniLM and what the service's own tests know it embeds to.</summary>
internal static class MiniLm
{
    public static readonly long[] ThisIsATest = [101, 2023, 2003, 1037, 3231, 1012, 102];

    /// <summary>The first values of the mean-pooled, L2-normalised embedding of "This is a test." (sentence-transformers').</summary>
    public static readonly float[] KnownEmbeddingStart = [0.033591f, 0.010513f, -0.017500f, 0.029352f, -0.009420f];

    public const int Width = 384;

    public static InferTensor[] Inputs(long[] ids)
    {
        long[] shape = [1, ids.Length];
        return
        [
            InferTensor.Create("input_ids", shape, ids),
            InferTensor.Create("attention_mask", shape, ids.Select(_ => 1L).ToArray()),
            InferTensor.Create("token_type_ids", shape, new long[ids.Length]),
        ];
    }

    /// <summary>Mean over the tokens of last_hidden_state [1, tokens, 384] (no padding here), L2-normalised.</summary>
    public static float[] MeanPoolNormalize(float[] hidden, int tokens)
    {
        var mean = new float[Width];
        for (var t = 0; t < tokens; t++)
        {
            for (var i = 0; i < Width; i++)
            {
                mean[i] += hidden[(t * Width) + i] / tokens;
            }
        }

        var norm = MathF.Sqrt(mean.Sum(v => v * v));
        return mean.Select(v => v / norm).ToArray();
    }

    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return (float)(dot / Math.Sqrt(na * nb));
    }
}

namespace InferenceService.Runtime.Pipelines;

/// <summary>The small amount of linear algebra the task endpoints need, in double precision where sums accumulate.</summary>
public static class VectorMath
{
    /// <summary>Scales <paramref name="vector"/> to unit length in place; a zero vector stays zero (its cosine to anything is 0).</summary>
    public static void L2Normalize(Span<float> vector)
    {
        double sum = 0;
        foreach (var x in vector)
        {
            sum += (double)x * x;
        }

        if (sum <= 0)
        {
            return;
        }

        var inverse = 1 / Math.Sqrt(sum);
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(vector[i] * inverse);
        }
    }

    /// <summary>Cosine similarity; 0 when either vector is zero.</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"vectors of {a.Length} and {b.Length} elements", nameof(b));
        }

        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return na <= 0 || nb <= 0 ? 0 : (float)(dot / Math.Sqrt(na * nb));
    }

    /// <summary>Softmax of raw logits; subtracting the maximum first keeps large logits from overflowing.</summary>
    public static float[] Softmax(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var x in logits)
        {
            max = Math.Max(max, x);
        }

        var result = new float[logits.Length];
        double sum = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var e = Math.Exp(logits[i] - max);
            result[i] = (float)e;
            sum += e;
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (float)(result[i] / sum);
        }

        return result;
    }

    /// <summary>The <paramref name="k"/> highest scores, highest first; ties keep the lower index first. NaN scores are never chosen.</summary>
    public static IReadOnlyList<ScoredItem> TopK(ReadOnlySpan<float> scores, int k, Func<int, bool>? include = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var heap = new PriorityQueue<ScoredItem, (float Score, int NegIndex)>();
        for (var i = 0; i < scores.Length; i++)
        {
            var s = scores[i];
            if (float.IsNaN(s) || (include is not null && !include(i)))
            {
                continue;
            }

            // A min-heap of the best k: its root is the weakest of them (lowest score, then highest index).
            var priority = (s, -i);
            if (heap.Count < k)
            {
                heap.Enqueue(new ScoredItem(i, s), priority);
            }
            else if (k > 0 && heap.TryPeek(out _, out var weakest) && Comparer<(float, int)>.Default.Compare(priority, weakest) > 0)
            {
                heap.EnqueueDequeue(new ScoredItem(i, s), priority);
            }
        }

        var result = new ScoredItem[heap.Count];
        for (var i = result.Length - 1; i >= 0; i--)
        {
            result[i] = heap.Dequeue();
        }

        return result;
    }
}

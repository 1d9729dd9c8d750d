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
        return k <= SmallK ? TopKSmall(scores, k, include) : TopKHeap(scores, k, include);
    }

    /// <summary>Up to this k, <see cref="TopK"/> keeps a sorted array (most scores fail one comparison with its weakest); above, a heap.</summary>
    internal const int SmallK = 64;

    /// <summary>
    /// A sorted array of the best so far, weakest last. A score that cannot enter is dropped before <paramref name="include"/>
    /// is asked (the recommender's exclusion lookup), and scores are scanned by index, so an equal score never displaces a
    /// kept one: ties keep the lower index. Was a PriorityQueue with tuple priorities, ~10 % of a recommendation's CPU.
    /// </summary>
    private static ScoredItem[] TopKSmall(ReadOnlySpan<float> scores, int k, Func<int, bool>? include)
    {
        var best = new ScoredItem[Math.Min(k, scores.Length)];
        var count = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var s = scores[i];
            if (float.IsNaN(s) || (count == best.Length && (count == 0 || s <= best[count - 1].Score)) || (include is not null && !include(i)))
            {
                continue;
            }

            var position = count == best.Length ? count - 1 : count++;
            while (position > 0 && best[position - 1].Score < s)
            {
                best[position] = best[position - 1];
                position--;
            }

            best[position] = new ScoredItem(i, s);
        }

        return count == best.Length ? best : best[..count];
    }

    private static ScoredItem[] TopKHeap(ReadOnlySpan<float> scores, int k, Func<int, bool>? include)
    {
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

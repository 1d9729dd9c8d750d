namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// Token ids of one text (with [CLS] and [SEP] when tokenised here; as given when the client sent ids);
/// <see cref="Truncated"/> when the input had more than the limit, <see cref="FullLength"/> how many it had.
/// </summary>
public sealed record EncodedText(IReadOnlyList<int> Ids, int FullLength, bool Truncated)
{
    /// <summary>
    /// Ids at most <paramref name="maxTokens"/> long. With <paramref name="framed"/> the first and last ids are
    /// [CLS] and [SEP] and stay where they are, as the model saw in training; otherwise the ids are cut as they are.
    /// </summary>
    public static EncodedText Limit(IReadOnlyList<int> ids, int maxTokens, TruncationDirection direction, bool framed)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, framed ? 2 : 1);
        if (ids.Count <= maxTokens)
        {
            return new EncodedText(ids, ids.Count, false);
        }

        var kept = new int[maxTokens];
        if (direction == TruncationDirection.Right)
        {
            for (var i = 0; i < maxTokens; i++)
            {
                kept[i] = ids[i];
            }

            if (framed)
            {
                kept[^1] = ids[^1];
            }
        }
        else
        {
            var skip = ids.Count - maxTokens;
            for (var i = 0; i < maxTokens; i++)
            {
                kept[i] = ids[skip + i];
            }

            if (framed)
            {
                kept[0] = ids[0];
            }
        }

        return new EncodedText(kept, ids.Count, true);
    }
}

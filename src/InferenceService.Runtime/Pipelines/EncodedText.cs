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
    public static EncodedText Limit(IReadOnlyList<int> ids, int maxTokens, TruncationDirection direction, bool framed) =>
        Limit(ids, maxTokens, direction, framed, framed);

    /// <summary>
    /// Ids at most <paramref name="maxTokens"/> long; with <paramref name="keepFirst"/> (<paramref name="keepLast"/>) the
    /// first (last) id is a framing token that stays where it is whichever end is cut.
    /// </summary>
    public static EncodedText Limit(IReadOnlyList<int> ids, int maxTokens, TruncationDirection direction, bool keepFirst, bool keepLast)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, (keepFirst ? 1 : 0) + (keepLast ? 1 : 0) + (keepFirst && keepLast ? 0 : 1));
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

            if (keepLast)
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

            if (keepFirst)
            {
                kept[0] = ids[0];
            }
        }

        return new EncodedText(kept, ids.Count, true);
    }
}

namespace InferenceService.Training.Datasets;

/// <summary>
/// Implicit feedback with 0-based dense ids: per user, the interacted items in time order. The last item of each
/// user is the leave-one-out test item; the rest train.
/// </summary>
internal sealed record Interactions(int Users, int Items, IReadOnlyList<int[]> ByUser, string Source, IReadOnlyList<string>? ItemNames = null)
{
    public int Count => ByUser.Sum(h => h.Length);

    /// <summary>Training interaction count per item (the test item of each user excluded).</summary>
    public int[] TrainPopularity()
    {
        var counts = new int[Items];
        foreach (var history in ByUser)
        {
            for (var k = 0; k < history.Length - 1; k++)
            {
                counts[history[k]]++;
            }
        }

        return counts;
    }
}

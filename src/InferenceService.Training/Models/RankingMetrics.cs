namespace InferenceService.Training.Models;

/// <summary>
/// Leave-one-out ranking metrics: each user's held-out item ranked among all items except the ones the user
/// already has in training (ties count against the model).
/// </summary>
internal sealed record RankingMetrics(double HitRate, double Ndcg, int Users, int K)
{
    /// <param name="scores">Scores of every item for one user.</param>
    public static RankingMetrics Compute(IReadOnlyList<int[]> histories, Func<int, float[]> scores, int k = 10)
    {
        double hits = 0, ndcg = 0;
        var users = 0;
        for (var user = 0; user < histories.Count; user++)
        {
            var history = histories[user];
            if (history.Length < 2)
            {
                continue;
            }

            var target = history[^1];
            var userScores = scores(user);
            var seen = new HashSet<int>(history[..^1]);
            var targetScore = userScores[target];
            var rank = 0;
            for (var item = 0; item < userScores.Length; item++)
            {
                if (item != target && !seen.Contains(item) && userScores[item] >= targetScore)
                {
                    rank++;
                }
            }

            users++;
            if (rank < k)
            {
                hits++;
                ndcg += 1 / Math.Log2(rank + 2);
            }
        }

        return new RankingMetrics(users == 0 ? 0 : hits / users, users == 0 ? 0 : ndcg / users, users, k);
    }
}

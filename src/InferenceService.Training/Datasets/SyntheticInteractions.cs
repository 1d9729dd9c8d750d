namespace InferenceService.Training.Datasets;

/// <summary>
/// Synthetic implicit feedback with known structure: users and items get latent factors, items a Zipf-like
/// popularity, and each user picks items with probability ∝ exp(affinity · u·v/√k + log popularity).
/// A model that learns the factors should beat "recommend the most popular" clearly; one that does not, won't.
/// </summary>
internal static class SyntheticInteractions
{
    public static Interactions Generate(int users = 3000, int items = 800, int factors = 8, double affinity = 2.5, int seed = 7)
    {
        var random = new Random(seed);
        var u = Gaussian(random, users, factors);
        var v = Gaussian(random, items, factors);
        var popularityRank = Enumerable.Range(0, items).ToArray();
        random.Shuffle(popularityRank);
        var logPopularity = popularityRank.Select(r => -0.9 * Math.Log(r + 1)).ToArray();
        var byUser = new List<int[]>(users);
        var scale = affinity / Math.Sqrt(factors);
        var keys = new double[items];
        for (var user = 0; user < users; user++)
        {
            // History lengths vary from a handful to ~80, as real users do.
            var length = Math.Clamp((int)Math.Round(Math.Exp(2.8 + (0.6 * NextGaussian(random)))), 5, 80);
            for (var item = 0; item < items; item++)
            {
                var dot = 0.0;
                for (var f = 0; f < factors; f++)
                {
                    dot += u[user, f] * v[item, f];
                }

                // Gumbel top-k = sampling without replacement proportional to exp(logit).
                keys[item] = (scale * dot) + logPopularity[item] - Math.Log(-Math.Log(random.NextDouble() + 1e-12));
            }

            var chosen = Enumerable.Range(0, items).OrderByDescending(i => keys[i]).Take(length).ToArray();
            random.Shuffle(chosen);
            byUser.Add(chosen);
        }

        return new Interactions(users, items, byUser,
            $"synthetic: {users} users, {items} items, {factors} latent factors (affinity {affinity}), Zipf popularity (exponent 0.9), seed {seed}");
    }

    private static double[,] Gaussian(Random random, int rows, int columns)
    {
        var m = new double[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                m[r, c] = NextGaussian(random);
            }
        }

        return m;
    }

    private static double NextGaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

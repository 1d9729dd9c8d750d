using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Batching;

/// <summary>
/// dynamic_batching.max_batch_tokens, HuggingFace TEI's rule for padded models: a batch costs its rows × its padded length
/// (the longest variable dim of its members), since every row is padded to that length and the engine computes the padding too.
/// </summary>
internal static class TokenBudget
{
    /// <summary>What <paramref name="rows"/> rows padded to <paramref name="length"/> cost.</summary>
    public static long Cost(long rows, long length) => rows * length;

    /// <summary>The most rows of <paramref name="length"/> that fit <paramref name="budget"/> and the <paramref name="cap"/> (at least 1: a lone row always runs).</summary>
    public static int LargestBatch(int cap, long? budget, long length) =>
        budget is { } tokens && length > 0 ? (int)Math.Clamp(tokens / length, 1, cap) : cap;

    /// <summary>The padded length of the warm-up's (and latency-target calibration's) inputs: their longest variable dim (1 where the warm-up names none).</summary>
    public static long WarmupLength(ModelConfig config)
    {
        var spec = config.Warmup ?? new WarmupConfig();
        long length = 0;
        foreach (var input in config.Inputs)
        {
            var given = spec.Dims.GetValueOrDefault(input.Name);
            for (var i = 0; i < input.Dims.Count; i++)
            {
                if (input.Dims[i] < 0)
                {
                    length = Math.Max(length, given is not null && i < given.Length ? given[i] : 1);
                }
            }
        }

        return length;
    }
}

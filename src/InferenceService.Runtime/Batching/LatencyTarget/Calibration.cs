using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Batching.LatencyTarget;

/// <summary>
/// Measures batch sizes 1, 2, 4, … up to the cap on the model's own executor, with zero-filled inputs built like the
/// warm-up's (its dims, else 1 for variable dims), so the cost model starts from this machine and execution provider.
/// Bounded: <see cref="RunsPerSize"/> runs per size, and it stops after the first size whose median exceeds the target
/// (larger batches only cost more), so it takes at most about 2 · RunsPerSize · target plus one over-target size.
/// </summary>
internal static class Calibration
{
    public const int RunsPerSize = 3;

    public static IEnumerable<int> Sizes(int cap)
    {
        for (var size = 1; size < cap; size *= 2)
        {
            yield return size;
        }

        yield return cap;
    }

    /// <param name="stop">Checked between runs: the batcher is being disposed.</param>
    public static async Task<List<CostPoint>> RunAsync(
        ModelConfig config, IBatchExecutor executor, int cap, double targetMs, TimeProvider timeProvider, Func<bool> stop, CancellationToken cancellationToken)
    {
        var outputs = config.Outputs.Select(o => o.Name).ToList();
        var points = new List<CostPoint>();
        var times = new double[RunsPerSize];
        foreach (var size in Sizes(cap))
        {
            var inputs = Inputs(config, size);
            for (var run = 0; run < RunsPerSize; run++)
            {
                if (stop())
                {
                    return points;
                }

                var start = timeProvider.GetTimestamp();
                _ = await executor.ExecuteAsync(inputs, outputs, cancellationToken).ConfigureAwait(false);
                times[run] = timeProvider.GetElapsedTime(start).TotalMilliseconds;
            }

            Array.Sort(times);
            points.Add(new CostPoint(size, times[RunsPerSize / 2]));
            if (times[RunsPerSize / 2] > targetMs)
            {
                break;
            }
        }

        return points;
    }

    /// <summary>A zero-filled batch of <paramref name="rows"/> for every configured input (as <c>Warmup</c> builds them).</summary>
    public static List<Tensor> Inputs(ModelConfig config, int rows)
    {
        var spec = config.Warmup ?? new WarmupConfig();
        return config.Inputs.Select(input =>
        {
            var dims = spec.DimsOf(input);
            long[] shape = [rows, .. dims];
            TensorDataTypes.TryParse(input.Datatype, out var type);
            TensorShape.TryGetElementCount(shape, out var count);
            var data = type == TensorDataType.Bytes ? Enumerable.Repeat(string.Empty, count).ToArray() : Array.CreateInstance(type.ElementType(), count);
            return new Tensor(input.Name, type, shape, data);
        }).ToList();
    }
}

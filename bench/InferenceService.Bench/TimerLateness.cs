using System.Diagnostics;
using System.Text.Json;
using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Logging.Abstractions;

namespace InferenceService.Bench;

/// <summary>
/// How late the batcher's max_queue_delay timer fires, against a bare timer loop in the same run: a lone request with a
/// delay of D runs at enqueue + D + lateness; a bare one-shot timer of D fires at arm + D + lateness. The difference is
/// what the batcher adds (its wake-up, loop pass and hand-off to the run), not the operating system's timer slack.
/// </summary>
internal static class TimerLateness
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var delayUs = (long)args.Number("delay-us", 2000);
        var rounds = (int)args.Number("rounds", 400);
        var delay = TimeSpan.FromMicroseconds(delayUs);

        // Interleaved in blocks, so drift in the machine's load hits both alike.
        var bare = new List<double>();
        var batcher = new List<double>();
        var executor = new StampingExecutor();
        await using var runner = (DynamicBatcher)ModelRunnerFactory.Create(
            "timer", Config(delayUs), executor, TimeProvider.System, NullLoggerFactory.Instance);
        for (var block = 0; block < 10; block++)
        {
            for (var i = 0; i < rounds / 10; i++)
            {
                bare.Add(await BareAsync(delay));
            }

            for (var i = 0; i < rounds / 10; i++)
            {
                batcher.Add(await BatcherAsync(runner, executor, delay));
            }
        }

        var result = new
        {
            delay_us = delayUs,
            rounds,
            load_average = File.ReadAllText("/proc/loadavg").Trim(),
            bare_late_us = Summary(bare),
            batcher_late_us = Summary(batcher),
            p99_difference_us = Percentile(batcher, 0.99) - Percentile(bare, 0.99),
            p50_difference_us = Percentile(batcher, 0.50) - Percentile(bare, 0.50),
        };
        var json = JsonSerializer.Serialize(result, Json.Options);
        if (args.Find("out") is { } path)
        {
            File.WriteAllText(path, json);
        }

        Console.WriteLine(json);
        return 0;
    }

    private static async Task<double> BareAsync(TimeSpan delay)
    {
        var fired = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var armed = Stopwatch.GetTimestamp();
        using var timer = TimeProvider.System.CreateTimer(_ => fired.TrySetResult(Stopwatch.GetTimestamp()), null, delay, Timeout.InfiniteTimeSpan);
        var at = await fired.Task.ConfigureAwait(false);
        return LateUs(armed, at, delay);
    }

    private static async Task<double> BatcherAsync(DynamicBatcher runner, StampingExecutor executor, TimeSpan delay)
    {
        var request = new InferenceRequest { Inputs = [Tensor.Create("x", TensorDataType.Fp32, [1, 4], new float[4])] };
        var enqueued = Stopwatch.GetTimestamp();
        await runner.InferAsync(request, CancellationToken.None).ConfigureAwait(false);
        return LateUs(enqueued, executor.LastStartedAt, delay);
    }

    private static double LateUs(long from, long to, TimeSpan delay) =>
        (Stopwatch.GetElapsedTime(from, to) - delay).TotalMicroseconds;

    private static object Summary(List<double> values) => new
    {
        p50 = Percentile(values, 0.50),
        p90 = Percentile(values, 0.90),
        p99 = Percentile(values, 0.99),
        max = values.Max(),
    };

    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    }

    private static ModelConfig Config(long delayUs) => new()
    {
        MaxBatchSize = 8,
        Inputs = [new TensorConfig { Name = "x", Datatype = "FP32", Dims = [4] }],
        Outputs = [new TensorConfig { Name = "y", Datatype = "FP32", Dims = [4] }],
        DynamicBatching = new DynamicBatchingConfig { MaxQueueDelayMicroseconds = delayUs },
    };

    /// <summary>Takes no time; records when the batcher handed it a batch.</summary>
    private sealed class StampingExecutor : IBatchExecutor
    {
        private long _lastStartedAt;

        public int InstanceCount => 1;

        public long LastStartedAt => Volatile.Read(ref _lastStartedAt);

        public Task<IReadOnlyList<Tensor>> ExecuteAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken)
        {
            Volatile.Write(ref _lastStartedAt, Stopwatch.GetTimestamp());
            IReadOnlyList<Tensor> outputs = [Tensor.Create("y", TensorDataType.Fp32, inputs[0].Shape, (float[])inputs[0].Data.Clone())];
            return Task.FromResult(outputs);
        }
    }
}

using System.Diagnostics;
using System.Text.Json;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Sessions;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Logging.Abstractions;

namespace InferenceService.Bench;

/// <summary>
/// The engine's own limit: the model's sessions built exactly as the service builds them (same config, threads and
/// providers), driven in-process by one caller per instance, no HTTP, no batcher. One difference: ONNX Runtime's own
/// default of spinning intra-op threads, which the service turns off (it shares the cores with HTTP) but which is the
/// engine alone at its fastest.
/// </summary>
internal static class RawThroughput
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var models = args.Get("models");
        var seconds = args.Number("seconds", 3);
        using var environment = new OnnxRuntimeEnvironment(NullLoggerFactory.Instance);
        var factory = new SessionPoolFactory(new ExecutionProviderCatalog(environment, NullLogger<ExecutionProviderCatalog>.Instance));
        var results = new List<RawModelResult>();
        foreach (var workload in Workloads.Raw)
        {
            var dir = Path.Combine(models, workload.Model);
            if (!Directory.Exists(dir))
            {
                Console.WriteLine($"raw: {workload.Model} is not in {models}; skipped");
                continue;
            }

            var config = ModelConfigLoader.Load(dir) with { IntraOpSpinning = true };
            var version = ModelConfigLoader.FindVersions(dir).Max();
            using var pool = factory.Create(workload.Model, Path.Combine(dir, version.ToString(System.Globalization.CultureInfo.InvariantCulture), ModelConfigLoader.ModelFileName), config);
            var points = new List<RawPoint>();
            foreach (var batch in workload.Batches)
            {
                var inputs = workload.Inputs(batch);
                var point = await MeasureAsync(pool, inputs, workload.Outputs, batch, seconds);
                points.Add(point);
                Console.WriteLine($"raw: {workload.Label,-12} batch {batch,3}: {point.ItemsPerSecond,9:F1} items/s, {point.MillisecondsPerBatch,8:F2} ms/batch, p50 {point.P50Ms,7:F2} ms ({pool.IntraOpThreads} intra-op threads, {pool.InstanceCount} instance(s), {pool.ExecutionProvider})");
            }

            results.Add(new RawModelResult(workload.Label, workload.Model, pool.InstanceCount, pool.IntraOpThreads, pool.ExecutionProvider, points));
        }

        await File.WriteAllTextAsync(args.Get("out"), JsonSerializer.Serialize(results, Json.Options));
        return 0;
    }

    private static async Task<RawPoint> MeasureAsync(SessionPool pool, IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputs, int batch, double seconds)
    {
        // Warm-up: the first runs allocate the arena and pick kernels for this shape.
        for (var i = 0; i < 3; i++)
        {
            await pool.ExecuteAsync(inputs, outputs, CancellationToken.None);
        }

        var until = TimeSpan.FromSeconds(seconds);
        var clock = Stopwatch.StartNew();
        var runs = 0L;
        var times = new System.Collections.Concurrent.ConcurrentBag<double>();
        var callers = Enumerable.Range(0, pool.InstanceCount).Select(async _ =>
        {
            while (clock.Elapsed < until || Interlocked.Read(ref runs) < 3)
            {
                var start = Stopwatch.GetTimestamp();
                await pool.ExecuteAsync(inputs, outputs, CancellationToken.None);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                Interlocked.Increment(ref runs);
            }
        });
        await Task.WhenAll(callers);
        var elapsed = clock.Elapsed.TotalSeconds;
        var sorted = times.Order().ToArray();
        return new RawPoint(batch, runs * batch / elapsed, elapsed * 1000 * pool.InstanceCount / runs, sorted[(sorted.Length - 1) / 2]);
    }
}

/// <param name="P50Ms">The median time of one run at this batch size (the latency a lone caller sees from the engine).</param>
internal sealed record RawPoint(int Batch, double ItemsPerSecond, double MillisecondsPerBatch, double P50Ms);

internal sealed record RawModelResult(string Label, string Model, int Instances, int IntraOpThreads, string Provider, IReadOnlyList<RawPoint> Points)
{
    public RawPoint Batch1 => Points.First(p => p.Batch == 1);

    public RawPoint Best => Points.MaxBy(p => p.ItemsPerSecond)!;
}

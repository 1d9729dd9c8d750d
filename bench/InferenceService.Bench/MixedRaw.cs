using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Sessions;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Logging.Abstractions;

namespace InferenceService.Bench;

/// <summary>
/// `mixed-raw`: the engine's limit on the mixed-length workload (<see cref="MixedText"/>). MiniLM's sessions are built as
/// `raw` builds them (the service's SessionPoolFactory and config, spinning threads allowed), the sentences pre-sorted
/// into ideal batches (by length, under the config's max_batch_tokens and max_batch_size, each padded to its own
/// longest) and run in a seeded shuffled order, one caller per instance, in whole passes over the set until --seconds
/// is up (at least one pass), so the figures are for exactly the mix. No HTTP, no tokenising, no batcher.
/// With --sweep the batching is the engine's best rather than the shipped budget's: one pass over a sample of the
/// same sentences (--sweep-count, the first of the seeded set) for each token budget (1024..16384, all rows allowed)
/// and each row cap (4..32 under the largest budget), then the measured run with the fastest.
/// </summary>
internal static class MixedRaw
{
    private const string Model = "minilm";

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var dir = Path.Combine(args.Get("models"), Model);
        var seconds = args.Number("seconds", 10);
        var config = ModelConfigLoader.Load(dir) with { IntraOpSpinning = true };
        var version = ModelConfigLoader.FindVersions(dir).Max().ToString(CultureInfo.InvariantCulture);
        var budget = (long)args.Number("budget", config.DynamicBatching?.MaxBatchTokens ?? (long)config.MaxBatchSize * MixedText.MaxTokens);
        var sentences = MixedText.Build(Path.Combine(dir, version), (int)args.Number("count", MixedText.DefaultCount));
        var maxRows = config.MaxBatchSize;

        using var environment = new OnnxRuntimeEnvironment(NullLoggerFactory.Instance);
        var factory = new SessionPoolFactory(new ExecutionProviderCatalog(environment, NullLogger<ExecutionProviderCatalog>.Instance));
        using var pool = factory.Create(Model, Path.Combine(dir, version, ModelConfigLoader.ModelFileName), config);
        IReadOnlyList<string> outputs = ["last_hidden_state"];

        List<MixedSweepPoint>? sweep = null;
        if (args.Find("sweep") is not null)
        {
            var sample = sentences.Take((int)args.Number("sweep-count", 256)).ToList();
            sweep = await SweepAsync(pool, outputs, sample, config.MaxBatchSize);
            var best = sweep.MaxBy(p => p.SentencesPerSecond)!;
            (budget, maxRows) = (best.Budget, best.MaxRows);
            Console.WriteLine($"raw mixed sweep: best budget {budget}, at most {maxRows} rows ({best.SentencesPerSecond:F1} sentences/s on {sample.Count} sentences)");
        }

        var batches = MixedText.IdealBatches(sentences, maxRows, budget);
        var random = new Random(MixedText.Seed);
        var order = batches.Select(b => (Batch: b, Inputs: Inputs(b))).OrderBy(_ => random.Next()).ToArray();

        // Warm-up: the first runs allocate the arena and pick kernels; one short and one long batch.
        foreach (var (_, inputs) in new[] { order.MinBy(o => o.Batch[^1].Ids.Length), order.MaxBy(o => o.Batch[^1].Ids.Length) })
        {
            await pool.ExecuteAsync(inputs, outputs, CancellationToken.None);
        }

        // Whole passes over the set (at least one, until --seconds is up): a few large batches make a pass, so a run cut
        // at an arbitrary batch would weigh the mix by chance.
        var until = TimeSpan.FromSeconds(seconds);
        var clock = Stopwatch.StartNew();
        var passes = 0;
        do
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, pool.InstanceCount).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < order.Length; i = Interlocked.Increment(ref next))
                {
                    await pool.ExecuteAsync(order[i].Inputs, outputs, CancellationToken.None);
                }
            }));
            passes++;
        }
        while (clock.Elapsed < until);
        var elapsed = clock.Elapsed.TotalSeconds;
        var runs = (long)passes * batches.Count;
        var rows = (long)passes * sentences.Count;
        var tokens = passes * sentences.Sum(s => (long)s.Ids.Length);
        var padded = passes * batches.Sum(b => (long)b.Length * b[^1].Ids.Length);

        var result = new MixedRawResult(
            sentences.Count, budget, maxRows, batches.Count, pool.InstanceCount, pool.IntraOpThreads, pool.ExecutionProvider, elapsed,
            passes, runs, rows / elapsed, tokens / elapsed, (double)rows / runs, padded > 0 ? 1 - ((double)tokens / padded) : 0, sweep);
        await File.WriteAllTextAsync(args.Get("out"), JsonSerializer.Serialize(result, Json.Options));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"raw mixed: {result.SentencesPerSecond:F1} sentences/s, {result.TokensPerSecond:F0} tokens/s ({passes} pass(es), {runs} batches of {result.MeanRows:F1} rows on average, {result.PaddingShare:P1} padding; budget {budget}, at most {maxRows} rows, {batches.Count} ideal batches of {sentences.Count} sentences; {pool.IntraOpThreads} intra-op threads, {pool.InstanceCount} instance(s), {pool.ExecutionProvider}, {elapsed:F1} s)"));
        return 0;
    }

    /// <summary>One pass over <paramref name="sample"/> per batching: each token budget with every row allowed, then each smaller row cap under the largest budget.</summary>
    private static async Task<List<MixedSweepPoint>> SweepAsync(SessionPool pool, IReadOnlyList<string> outputs, IReadOnlyList<MixedSentence> sample, int maxBatchSize)
    {
        long[] budgets = [1024, 2048, 4096, 8192, 16384];
        var plans = budgets.Select(b => (Budget: b, Rows: maxBatchSize))
            .Concat(new[] { 4, 8, 16, 32 }.Where(r => r < maxBatchSize).Select(r => (Budget: budgets[^1], Rows: r)));
        var points = new List<MixedSweepPoint>();
        foreach (var (budget, rows) in plans)
        {
            var random = new Random(MixedText.Seed);
            var batches = MixedText.IdealBatches(sample, rows, budget);
            var order = batches.Select(Inputs).OrderBy(_ => random.Next()).ToArray();
            await pool.ExecuteAsync(order[0], outputs, CancellationToken.None);
            var clock = Stopwatch.StartNew();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, pool.InstanceCount).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < order.Length; i = Interlocked.Increment(ref next))
                {
                    await pool.ExecuteAsync(order[i], outputs, CancellationToken.None);
                }
            }));
            var point = new MixedSweepPoint(budget, rows, batches.Count, sample.Count / clock.Elapsed.TotalSeconds);
            points.Add(point);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"raw mixed sweep: budget {budget,5}, at most {rows,2} rows: {batches.Count,3} batches, {point.SentencesPerSecond:F1} sentences/s"));
        }

        return points;
    }

    /// <summary>input_ids, attention_mask and token_type_ids of a batch, padded to its longest with id 0 and mask 0.</summary>
    private static IReadOnlyList<Tensor> Inputs(MixedSentence[] batch)
    {
        var length = batch.Max(s => s.Ids.Length);
        var ids = new long[batch.Length * length];
        var mask = new long[ids.Length];
        for (var r = 0; r < batch.Length; r++)
        {
            for (var t = 0; t < batch[r].Ids.Length; t++)
            {
                ids[(r * length) + t] = batch[r].Ids[t];
                mask[(r * length) + t] = 1;
            }
        }

        long[] shape = [batch.Length, length];
        return
        [
            new Tensor("input_ids", TensorDataType.Int64, shape, ids),
            new Tensor("attention_mask", TensorDataType.Int64, shape, mask),
            new Tensor("token_type_ids", TensorDataType.Int64, shape, new long[ids.Length]),
        ];
    }
}

/// <param name="PaddingShare">Share of the padded tokens run that were padding (1 − real ÷ padded).</param>
internal sealed record MixedRawResult(
    int Sentences, long Budget, int MaxBatchSize, int IdealBatches, int Instances, int IntraOpThreads, string Provider, double Seconds,
    int Passes, long Runs, double SentencesPerSecond, double TokensPerSecond, double MeanRows, double PaddingShare, List<MixedSweepPoint>? Sweep = null);

/// <summary>One batching of the sweep: its sample pass's throughput.</summary>
internal sealed record MixedSweepPoint(long Budget, int MaxRows, int Batches, double SentencesPerSecond);

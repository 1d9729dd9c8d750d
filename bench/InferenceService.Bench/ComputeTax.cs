using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace InferenceService.Bench;

/// <summary>
/// The compute tax: the service's compute_infer for MiniLM seq 16 at batch 1 (one client, from its statistics) against a
/// bare harness with the same session options (spinning off, as served), alternated round by round in one run so that
/// the machine's drift hits both. The bare harness runs back to back and, to separate the idle gap a served request has
/// between runs (the HTTP round trip), also with a pause of the service's measured round trip between runs.
/// </summary>
internal static class ComputeTax
{
    private const string Model = "minilm";

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var baseUrl = new Uri(args.Get("base").TrimEnd('/') + "/");
        var models = args.Get("models");
        var rounds = (int)args.Number("rounds", 10);
        var seconds = TimeSpan.FromSeconds(args.Number("seconds", 2));
        var dir = Path.Combine(models, Model);
        var config = ModelConfigLoader.Load(dir);
        var version = ModelConfigLoader.FindVersions(dir).Max().ToString(CultureInfo.InvariantCulture);
        using var environment = new OnnxRuntimeEnvironment(NullLoggerFactory.Instance);
        var factory = new SessionPoolFactory(new ExecutionProviderCatalog(environment, NullLogger<ExecutionProviderCatalog>.Instance));
        using var pool = factory.Create(Model, Path.Combine(dir, version, ModelConfigLoader.ModelFileName), config);
        var inputs = Workloads.Raw.First(w => w.Label == "minilm-16").Inputs(1);
        string[] outputs = ["last_hidden_state"];
        using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var body = Encoding.UTF8.GetBytes(RequestBodies.V2Json(16, binaryOutputs: true));

        var table = new List<TaxRound>();
        for (var round = 1; round <= rounds; round++)
        {
            var bare = await RawAsync(pool, inputs, outputs, seconds, gap: TimeSpan.Zero);
            var served = await ServedAsync(client, body, seconds);
            var gapped = await RawAsync(pool, inputs, outputs, seconds, gap: TimeSpan.FromMilliseconds(Math.Max(0.5, served.P50Ms - served.ComputeMs)));
            var row = new TaxRound(round, File.ReadAllText("/proc/loadavg").Split(' ')[0], bare.P50Ms, bare.MeanMs, gapped.MeanMs, served.ComputeMs, served.P50Ms, served.ComputeMs / bare.MeanMs, served.ComputeMs / gapped.MeanMs, served.P50Ms / bare.P50Ms);
            table.Add(row);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round,2} (load {row.Load}): bare {bare.MeanMs:F2} ms (p50 {bare.P50Ms:F2}), bare with gap {gapped.MeanMs:F2} ms, service compute_infer {served.ComputeMs:F2} ms, client p50 {served.P50Ms:F2} ms; compute ÷ bare {row.ComputeOverBare:F2}, ÷ gapped {row.ComputeOverGapped:F2}, client p50 ÷ bare p50 {row.ClientP50OverBareP50:F2}"));
        }

        static double Median(IEnumerable<double> values) => Percentile(values.ToList(), 0.5);
        var summary = new
        {
            rounds,
            seconds_per_step = seconds.TotalSeconds,
            threads = pool.IntraOpThreads,
            spinning = config.IntraOpSpinning,
            compute_over_bare_median = Median(table.Select(r => r.ComputeOverBare)),
            compute_over_gapped_median = Median(table.Select(r => r.ComputeOverGapped)),
            client_p50_over_bare_p50_median = Median(table.Select(r => r.ClientP50OverBareP50)),
            table,
        };
        var json = JsonSerializer.Serialize(summary, Json.Options);
        if (args.Find("out") is { } path)
        {
            await File.WriteAllTextAsync(path, json);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median over {rounds} rounds: compute_infer ÷ bare {summary.compute_over_bare_median:F3}, ÷ bare with gap {summary.compute_over_gapped_median:F3}, client p50 ÷ bare p50 {summary.client_p50_over_bare_p50_median:F3}"));
        return 0;
    }

    private static async Task<(double MeanMs, double P50Ms)> RawAsync(SessionPool pool, IReadOnlyList<Runtime.Tensors.Tensor> inputs, string[] outputs, TimeSpan seconds, TimeSpan gap)
    {
        await pool.ExecuteAsync(inputs, outputs, CancellationToken.None);
        var times = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < seconds)
        {
            if (gap > TimeSpan.Zero)
            {
                // A blocking pause, as a served run's thread idles during the round trip (no timer lateness added to the run).
                Thread.Sleep(gap);
            }

            var start = Stopwatch.GetTimestamp();
            await pool.ExecuteAsync(inputs, outputs, CancellationToken.None);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return (times.Average(), Percentile(times, 0.5));
    }

    private static async Task<(double ComputeMs, double P50Ms)> ServedAsync(HttpClient client, byte[] body, TimeSpan seconds)
    {
        using (var warm = new ByteArrayContent(body))
        {
            warm.Headers.ContentType = new("application/json");
            (await client.PostAsync($"v2/models/{Model}/infer", warm)).EnsureSuccessStatusCode();
        }

        var before = await ComputeAsync(client);
        var times = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < seconds)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            var start = Stopwatch.GetTimestamp();
            using var response = await client.PostAsync($"v2/models/{Model}/infer", content);
            await response.Content.ReadAsByteArrayAsync();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            response.EnsureSuccessStatusCode();
        }

        var after = await ComputeAsync(client);
        return ((after.Ns - before.Ns) / (after.Count - before.Count) / 1e6, Percentile(times, 0.5));
    }

    private static async Task<(double Count, double Ns)> ComputeAsync(HttpClient client)
    {
        using var stats = JsonDocument.Parse(await client.GetStringAsync($"v2/models/{Model}/stats"));
        var model = stats.RootElement.GetProperty("model_stats")[0];
        var infer = model.GetProperty("inference_stats").GetProperty("compute_infer");
        return (model.GetProperty("execution_count").GetDouble(), infer.GetProperty("ns").GetDouble());
    }

    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    }
}

internal sealed record TaxRound(int Round, string Load, double BareP50Ms, double BareMeanMs, double GappedMeanMs, double ServiceComputeMs, double ClientP50Ms, double ComputeOverBare, double ComputeOverGapped, double ClientP50OverBareP50);

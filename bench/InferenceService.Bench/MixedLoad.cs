using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using InferenceService.Runtime.Repository;

namespace InferenceService.Bench;

/// <summary>
/// `mixed-load`: closed-loop load of the mixed-length workload (<see cref="MixedText"/>) on POST /v1/text/embeddings:
/// --clients connections, each sending its next request as soon as its last is answered, for --seconds after --warmup
/// seconds not recorded. A request carries --texts consecutive sentences; client c starts c/N of the way through the
/// set and cycles through it, so every stretch of the run sends the same mix. Reports sentences/s (of 200 answers),
/// latency percentiles and, from the model's statistics, the average batch the batcher ran.
/// </summary>
internal static class MixedLoad
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var clients = (int)args.Number("clients", 32);
        var perRequest = (int)args.Number("texts", 1);
        var model = args.Find("model") ?? "minilm";
        var baseUri = new Uri(args.Get("base"));
        var url = new Uri(baseUri, "/v1/text/embeddings");
        var statsUrl = new Uri(baseUri, $"/v2/models/{model}/stats");
        var dir = Path.Combine(args.Get("models"), "minilm");
        var version = ModelConfigLoader.FindVersions(dir).Max().ToString(CultureInfo.InvariantCulture);
        var sentences = MixedText.Build(Path.Combine(dir, version), (int)args.Number("count", MixedText.DefaultCount));
        var bodies = Enumerable.Range(0, sentences.Count)
            .Select(i => JsonSerializer.SerializeToUtf8Bytes(new { texts = Enumerable.Range(i, perRequest).Select(j => sentences[j % sentences.Count].Text).ToArray() }))
            .ToArray();

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        _ = await RunAsync(client, url, bodies, clients, perRequest, TimeSpan.FromSeconds(args.Number("warmup", 2))).ConfigureAwait(false);

        var before = await BatchCounts.ReadAsync(client, statsUrl).ConfigureAwait(false);
        var (samples, elapsed) = await RunAsync(client, url, bodies, clients, perRequest, TimeSpan.FromSeconds(args.Number("seconds", 10))).ConfigureAwait(false);
        var after = await BatchCounts.ReadAsync(client, statsUrl).ConfigureAwait(false);

        var ok = samples.Where(s => s.Status == 200).Select(s => s.Ms).Order().ToArray();
        double? Rank(double q) => ok.Length == 0 ? null : ok[Math.Max(0, (int)Math.Ceiling(q * ok.Length) - 1)];
        var executions = after.Executions - before.Executions;
        var result = new MixedLoadResult(
            clients, perRequest, elapsed, ok.Length, ok.Length * perRequest / elapsed, ok.Length / elapsed, Rank(0.50), Rank(0.99),
            samples.Where(s => s.Status != 200).GroupBy(s => s.Status == 0 ? "connection error" : s.Status.ToString(CultureInfo.InvariantCulture)).ToDictionary(g => g.Key, g => g.Count()),
            executions, executions > 0 ? (double)(after.Items - before.Items) / executions : double.NaN);
        await File.WriteAllTextAsync(args.Get("out"), JsonSerializer.Serialize(result, Json.Options)).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   c={clients} texts/request={perRequest}: {result.SentencesPerSecond:F1} sentences/s ({result.RequestsPerSecond:F1} req/s, p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms); {executions} batches of {result.MeanBatchRows:F1} rows on average; errors {string.Join(", ", result.Errors.Select(e => $"{e.Key}: {e.Value}"))}"));
        return 0;
    }

    private static async Task<(List<(int Status, double Ms)> Samples, double Seconds)> RunAsync(HttpClient client, Uri url, byte[][] bodies, int clients, int perRequest, TimeSpan duration)
    {
        var samples = new List<(int Status, double Ms)>[clients];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            var mine = samples[c] = [];
            var next = (int)((long)c * bodies.Length / clients);
            while (clock.Elapsed < duration)
            {
                var sent = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    using var content = new ByteArrayContent(bodies[next]);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    using var response = await client.PostAsync(url, content).ConfigureAwait(false);
                    _ = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    status = (int)response.StatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    status = 0;
                }

                mine.Add((status, Stopwatch.GetElapsedTime(sent).TotalMilliseconds));
                next = (next + perRequest) % bodies.Length;
            }
        })).ConfigureAwait(false);
        return ([.. samples.SelectMany(s => s)], clock.Elapsed.TotalSeconds);
    }
}

internal sealed record MixedLoadResult(
    int Clients, int TextsPerRequest, double Seconds, int Answered, double SentencesPerSecond, double RequestsPerSecond, double? P50Ms, double? P99Ms,
    Dictionary<string, int> Errors, long Batches, double MeanBatchRows);

/// <summary>The model's cumulative items run and batches (Triton's inference_count and execution_count).</summary>
internal sealed record BatchCounts(long Items, long Executions)
{
    public static async Task<BatchCounts> ReadAsync(HttpClient client, Uri url)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync(url).ConfigureAwait(false));
        var stats = document.RootElement.GetProperty("model_stats")[0];
        return new BatchCounts(stats.GetProperty("inference_count").GetInt64(), stats.GetProperty("execution_count").GetInt64());
    }
}

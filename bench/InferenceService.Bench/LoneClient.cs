using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Sessions;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Logging.Abstractions;

namespace InferenceService.Bench;

/// <summary>
/// ResNet18's lone client against raw ONNX Runtime at batch 1, alternated round by round in one process so that the
/// machine's drift hits all three: raw as <c>raw</c> measures it (ONNX Runtime's default spinning), raw with spinning
/// off (as served), and one client sending the V2 raw binary body (602 KB) over HTTP, with the model's statistics
/// (server time, queue, compute_infer per request) read around each served step.
/// </summary>
internal static class LoneClient
{
    private const string Model = "resnet18";

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var baseUrl = new Uri(args.Get("base").TrimEnd('/') + "/");
        var models = args.Get("models");
        var rounds = (int)args.Number("rounds", 6);
        var seconds = TimeSpan.FromSeconds(args.Number("seconds", 3));
        var dir = Path.Combine(models, Model);
        var config = ModelConfigLoader.Load(dir);
        var version = ModelConfigLoader.FindVersions(dir).Max().ToString(CultureInfo.InvariantCulture);
        var file = Path.Combine(dir, version, ModelConfigLoader.ModelFileName);
        using var environment = new OnnxRuntimeEnvironment(NullLoggerFactory.Instance);
        var factory = new SessionPoolFactory(new ExecutionProviderCatalog(environment, NullLogger<ExecutionProviderCatalog>.Instance));
        using var spinning = factory.Create(Model, file, config with { IntraOpSpinning = true });
        using var quiet = factory.Create(Model, file, config with { IntraOpSpinning = false });
        var inputs = Workloads.Raw.First(w => w.Label == Model).Inputs(1);
        string[] outputs = ["Pooling395_Output_0"];
        var image = Workloads.ImageData(1);
        var body = new byte[image.Length * sizeof(float)];
        Buffer.BlockCopy(image, 0, body, 0, body.Length);
        using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

        var table = new List<LoneRound>();
        for (var round = 1; round <= rounds; round++)
        {
            var raw = await RawAsync(spinning, inputs, outputs, seconds);
            var served = await ServedAsync(client, body, seconds);
            var rawQuiet = await RawAsync(quiet, inputs, outputs, seconds);
            var row = new LoneRound(round, File.ReadAllText("/proc/loadavg").Split(' ')[0], raw, rawQuiet, served.P50Ms, served.ServerUs, served.QueueUs, served.ComputeUs, served.P50Ms / raw, served.P50Ms / rawQuiet);
            table.Add(row);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round,2} (load {row.Load}): raw p50 {raw:F2} ms (spinning off {rawQuiet:F2}), client p50 {served.P50Ms:F2} ms; server {served.ServerUs:F0} µs/req, queue {served.QueueUs:F0}, compute_infer {served.ComputeUs:F0}; client ÷ raw {row.ClientOverRaw:F3}, ÷ raw spinning off {row.ClientOverRawQuiet:F3}"));
        }

        static double Median(IEnumerable<double> values) => Percentile(values.ToList(), 0.5);
        var summary = new
        {
            rounds,
            seconds_per_step = seconds.TotalSeconds,
            client_over_raw_median = Median(table.Select(r => r.ClientOverRaw)),
            client_over_raw_spinning_off_median = Median(table.Select(r => r.ClientOverRawQuiet)),
            queue_us_median = Median(table.Select(r => r.QueueUs)),
            overhead_us_median = Median(table.Select(r => r.ServerUs - r.ComputeUs)),
            table,
        };
        if (args.Find("out") is { } path)
        {
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(summary, Json.Options));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median over {rounds} rounds: client p50 ÷ raw p50 {summary.client_over_raw_median:F3}, ÷ raw spinning off {summary.client_over_raw_spinning_off_median:F3}; queue {summary.queue_us_median:F0} µs, server overhead {summary.overhead_us_median:F0} µs per request"));
        return 0;
    }

    private static async Task<double> RawAsync(SessionPool pool, IReadOnlyList<Tensor> inputs, string[] outputs, TimeSpan seconds)
    {
        await pool.ExecuteAsync(inputs, outputs, CancellationToken.None);
        var times = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < seconds || times.Count < 3)
        {
            var start = Stopwatch.GetTimestamp();
            await pool.ExecuteAsync(inputs, outputs, CancellationToken.None);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return Percentile(times, 0.5);
    }

    private static async Task<(double P50Ms, double ServerUs, double QueueUs, double ComputeUs)> ServedAsync(HttpClient client, byte[] body, TimeSpan seconds)
    {
        await PostAsync(client, body);
        var before = await StatsAsync(client);
        var times = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < seconds || times.Count < 3)
        {
            var start = Stopwatch.GetTimestamp();
            await PostAsync(client, body);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        var after = await StatsAsync(client);
        var count = after.Count - before.Count;
        return (Percentile(times, 0.5), (after.SuccessNs - before.SuccessNs) / count / 1e3, (after.QueueNs - before.QueueNs) / count / 1e3, (after.InferNs - before.InferNs) / count / 1e3);
    }

    private static async Task PostAsync(HttpClient client, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", "0");
        using var response = await client.PostAsync($"v2/models/{Model}/infer", content);
        await response.Content.ReadAsByteArrayAsync();
        response.EnsureSuccessStatusCode();
    }

    private static async Task<(double Count, double SuccessNs, double QueueNs, double InferNs)> StatsAsync(HttpClient client)
    {
        using var stats = JsonDocument.Parse(await client.GetStringAsync($"v2/models/{Model}/stats"));
        var model = stats.RootElement.GetProperty("model_stats")[0];
        var inference = model.GetProperty("inference_stats");
        double Ns(string name) => inference.GetProperty(name).GetProperty("ns").GetDouble();
        return (inference.GetProperty("success").GetProperty("count").GetDouble(), Ns("success"), Ns("queue"), Ns("compute_infer"));
    }

    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    }
}

internal sealed record LoneRound(int Round, string Load, double RawP50Ms, double RawSpinningOffP50Ms, double ClientP50Ms, double ServerUs, double QueueUs, double ComputeUs, double ClientOverRaw, double ClientOverRawQuiet);

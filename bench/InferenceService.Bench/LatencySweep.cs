using System.Globalization;
using System.Net;
using System.Text.Json;

namespace InferenceService.Bench;

/// <summary>
/// The <c>sweep</c> command: one served model, open-loop load at fractions of a measured capacity, one point after another,
/// with the model's statistics read around each point. Writes a <see cref="SweepResult"/> as JSON.
/// </summary>
internal static class LatencySweep
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var baseUrl = new Uri(args.Get("base"));
        if (!IPAddress.TryParse(baseUrl.Host, out var address) || !IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"--base must be a loopback address (127.0.0.1), not {baseUrl.Host}");
        }

        var model = args.Get("model");
        var capacity = args.Number("capacity", 0);
        var fractions = args.Get("fractions").Split(',').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToList();
        var seconds = TimeSpan.FromSeconds(args.Number("seconds", 2));
        var maxInFlight = (int)args.Number("max-in-flight", 128);
        var request = new OpenLoopRequest(new Uri(baseUrl, $"v2/models/{model}/infer"), await File.ReadAllBytesAsync(args.Get("body")),
            args.Get("content-type"), args.Find("raw-binary") == "true");

        using var handler = new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = maxInFlight, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { Timeout = seconds + TimeSpan.FromSeconds(15) };
        var load = new OpenLoopLoad(client, request, maxInFlight);

        // Not recorded: JIT, connections, arena growth, and for a latency target its calibration and first fits.
        await load.RunAsync(0, Math.Max(1, capacity * 0.3), TimeSpan.FromSeconds(args.Number("warmup", 1)));
        var points = new List<OpenLoopPoint>();
        var stats = await ModelStats.ReadAsync(client, baseUrl, model);
        foreach (var fraction in fractions)
        {
            var point = await load.RunAsync(fraction, Math.Max(1, capacity * fraction), seconds);
            var after = await ModelStats.ReadAsync(client, baseUrl, model);
            point = point with { AverageBatch = ModelStats.AverageBatch(stats, after), PlanFactor = after.PlanFactor, ChosenBatch = after.ChosenBatch };
            points.Add(point);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   {model,-24} {fraction,5:P0} {point.OfferedRps,7:F1}/s -> {point.ThroughputRps,7:F1}/s  p50 {point.P50Ms,7:F1}  p99 {point.P99Ms,7:F1} ms  failed {point.Failures}  send lag p99 {point.SendLagP99Ms:F1} ms  batch {point.AverageBatch:F1}{(point.ChosenBatch is { } c ? $" (chosen {c}, plan × {point.PlanFactor:F2})" : string.Empty)}"));

            // Let a backlog drain so that the next point starts from an empty queue.
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            stats = await ModelStats.ReadAsync(client, baseUrl, model);
        }

        var result = new SweepResult(args.Get("workload"), model, args.Get("label"), args.Get("kind"), capacity, points, stats.LatencyTarget);
        await File.WriteAllTextAsync(args.Get("out"), JsonSerializer.Serialize(result, Json.Options));
        return 0;
    }
}

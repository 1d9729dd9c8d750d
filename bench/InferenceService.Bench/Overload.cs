using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace InferenceService.Bench;

/// <summary>
/// Closed-loop load from many connections at once (each sends its next request as soon as its last is answered, or
/// after the Retry-After of a refusal, as a well-behaved client does; --ignore-retry-after resends at once; with
/// --expect-continue it sends Expect: 100-continue, as curl does for large bodies, so a refused body is never sent), with
/// latencies kept per status: how fast refusals come and how the admitted requests fare while the model runs flat out.
/// </summary>
internal static class Overload
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var connections = (int)args.Number("connections", 512);
        var duration = TimeSpan.FromSeconds(args.Number("seconds", 10));
        // --version N names a version: one that is not served measures the refusal path without any model work (404).
        var version = args.Find("version") is { } v ? $"/versions/{v}" : string.Empty;
        var url = new Uri(new Uri(args.Get("base")), $"/v2/models/{args.Get("model")}{version}/infer");
        var honorRetryAfter = args.Find("ignore-retry-after") != "true";
        var expectContinue = args.Find("expect-continue") == "true";
        var request = new OpenLoopRequest(url, File.ReadAllBytes(args.Get("body")), args.Get("content-type"), args.Find("raw-binary") == "true");
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };

        var statsUrl = new Uri(new Uri(args.Get("base")), $"/v2/models/{args.Get("model")}/stats");
        var servicePid = args.Find("service-pid") is { } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : (int?)null;
        var before = await ServerTimes.ReadAsync(client, statsUrl).ConfigureAwait(false);
        var samples = new List<Sample>[connections];
        var serviceCpuBefore = ProcessCpu.Seconds(servicePid);
        var generatorCpuBefore = Environment.CpuUsage.TotalTime.TotalSeconds;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            var mine = samples[c] = [];
            while (clock.Elapsed < duration)
            {
                var sent = Stopwatch.GetTimestamp();
                int status;
                TimeSpan? retryAfter = null;
                TimedContent? body = null;
                try
                {
                    using var message = request.CreateTimed(out body);
                    message.Headers.ExpectContinue = expectContinue ? true : null;
                    using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
                    status = (int)response.StatusCode;
                    retryAfter = honorRetryAfter ? response.Headers.RetryAfter?.Delta : null;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    status = 0;
                }

                var uploadMs = body?.WrittenAt is > 0 and var at ? Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds : (double?)null;
                mine.Add(new Sample(status, Stopwatch.GetElapsedTime(sent).TotalMilliseconds, uploadMs));
                if (retryAfter is { } wait && duration - clock.Elapsed is { } left && left > TimeSpan.Zero)
                {
                    await Task.Delay(wait < left ? wait : left).ConfigureAwait(false);
                }
            }
        })).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = new CpuSeconds(ProcessCpu.Seconds(servicePid) - serviceCpuBefore, Environment.CpuUsage.TotalTime.TotalSeconds - generatorCpuBefore);
        var server = ServerTimes.Between(before, await ServerTimes.ReadAsync(client, statsUrl).ConfigureAwait(false));

        var all = samples.SelectMany(s => s).ToList();
        var result = new OverloadResult(
            args.Get("model"),
            connections,
            elapsed,
            Summary(all, (int)HttpStatusCode.OK, elapsed),
            Summary(all, (int)HttpStatusCode.ServiceUnavailable, elapsed),
            Summary(all.Where(s => s.Status == (int)HttpStatusCode.ServiceUnavailable && s.UploadMs is not null).Select(s => s.UploadMs!.Value)),
            all.Count(s => s.Status is not (200 or 503)),
            all.Where(s => s.Status is not (200 or 503)).GroupBy(s => s.Status == 0 ? "connection error" : s.Status.ToString(CultureInfo.InvariantCulture)).ToDictionary(g => g.Key, g => g.Count()),
            server,
            cpu);
        await File.WriteAllTextAsync(args.Get("out"), JsonSerializer.Serialize(result, Json.Options)).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   {result.Model} c={connections}: 200 {result.Admitted.Count} ({result.Admitted.PerSecond:F1}/s, p50 {result.Admitted.P50Ms:F1} ms, p99 {result.Admitted.P99Ms:F1} ms); 503 {result.Refused.Count} (p50 {result.Refused.P50Ms:F1} ms, p99 {result.Refused.P99Ms:F1} ms); other {result.Other} ({string.Join(", ", result.OtherByStatus.Select(o => $"{o.Key}: {o.Value}"))}); in the model: queue {server.QueueMeanMs:F1} ms, request {server.SuccessMeanMs:F1} ms (means); 503 upload done p50 {result.RefusedUpload.P50Ms:F1} ms p99 {result.RefusedUpload.P99Ms:F1} ms ({result.RefusedUpload.Count} uploaded); CPU s: service {cpu.Service:F2}, generator {cpu.Generator:F2}"));
        return 0;
    }

    private static StatusSummary Summary(IEnumerable<double> values)
    {
        var ms = values.Order().ToArray();
        double? Rank(double q) => ms.Length == 0 ? null : ms[Math.Max(0, (int)Math.Ceiling(q * ms.Length) - 1)];
        return new StatusSummary(ms.Length, double.NaN, Rank(0.50), Rank(0.99));
    }

    private static StatusSummary Summary(List<Sample> all, int status, double seconds)
    {
        var ms = all.Where(s => s.Status == status).Select(s => s.Ms).Order().ToArray();
        double? Rank(double q) => ms.Length == 0 ? null : ms[Math.Max(0, (int)Math.Ceiling(q * ms.Length) - 1)];
        return new StatusSummary(ms.Length, ms.Length / seconds, Rank(0.50), Rank(0.99));
    }
}

internal sealed record StatusSummary(int Count, double PerSecond, double? P50Ms, double? P99Ms);

/// <param name="UploadMs">When HttpClient had written the whole body, from the send; null when it never did (Expect: 100-continue).</param>
internal sealed record Sample(int Status, double Ms, double? UploadMs);

/// <param name="RefusedUpload">Of the refusals whose body was sent: how long the upload took (the rest is reading the answer).</param>
internal sealed record OverloadResult(string Model, int Connections, double Seconds, StatusSummary Admitted, StatusSummary Refused, StatusSummary RefusedUpload, int Other, Dictionary<string, int> OtherByStatus, ServerTimes Server, CpuSeconds Cpu);

/// <summary>CPU seconds spent over a point by the service (from /proc, when its pid is given) and by the load generator.</summary>
internal sealed record CpuSeconds(double Service, double Generator);

internal static class ProcessCpu
{
    /// <summary>User + system CPU seconds of a process from /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s); NaN without a pid.</summary>
    public static double Seconds(int? pid)
    {
        if (pid is not { } id)
        {
            return double.NaN;
        }

        var stat = File.ReadAllText($"/proc/{id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}

/// <summary>The model's own mean times over a point, from Triton's cumulative statistics: what the service spent, without the HTTP stack and the client.</summary>
internal sealed record ServerTimes(double SuccessMeanMs, double QueueMeanMs, long SuccessCount, long SuccessNs, long QueueCount, long QueueNs)
{
    public static async Task<ServerTimes> ReadAsync(HttpClient client, Uri url)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync(url).ConfigureAwait(false));
        var stats = document.RootElement.GetProperty("model_stats")[0].GetProperty("inference_stats");
        var success = stats.GetProperty("success");
        var queue = stats.GetProperty("queue");
        return new ServerTimes(0, 0, success.GetProperty("count").GetInt64(), success.GetProperty("ns").GetInt64(), queue.GetProperty("count").GetInt64(), queue.GetProperty("ns").GetInt64());
    }

    public static ServerTimes Between(ServerTimes before, ServerTimes after)
    {
        var successCount = after.SuccessCount - before.SuccessCount;
        var queueCount = after.QueueCount - before.QueueCount;
        return new ServerTimes(
            successCount > 0 ? (after.SuccessNs - before.SuccessNs) / 1e6 / successCount : double.NaN,
            queueCount > 0 ? (after.QueueNs - before.QueueNs) / 1e6 / queueCount : double.NaN,
            successCount, after.SuccessNs - before.SuccessNs, queueCount, after.QueueNs - before.QueueNs);
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace InferenceService.Bench;

/// <summary>Reads one run's files (raw.json, meta.json, load/*.json, stats/*.json) and writes JSON, markdown and a plot.</summary>
internal static class Report
{
    private const string ReadmeStart = "<!-- bench:results:start -->";
    private const string ReadmeEnd = "<!-- bench:results:end -->";

    public static int Write(BenchArgs args)
    {
        var run = args.Get("run");
        var outDir = args.Get("out");
        Directory.CreateDirectory(outDir);
        var raw = JsonSerializer.Deserialize<List<RawModelResult>>(File.ReadAllText(Path.Combine(run, "raw.json")), Json.Options)!;
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "meta.json")));
        var points = Directory.EnumerateFiles(Path.Combine(run, "load"), "*.json").Select(f => ReadPoint(run, f))
            .OrderBy(p => p.Scenario, StringComparer.Ordinal).ThenBy(p => p.Concurrency).ToList();
        var ratios = Ratios.From(raw, points, ReadPaced(run));

        var markdown = Markdown(meta.RootElement, raw, points, ratios);
        File.WriteAllText(Path.Combine(outDir, "results.md"), markdown);
        File.WriteAllText(Path.Combine(outDir, "results.json"), JsonSerializer.Serialize(new { meta = meta.RootElement, raw, load = points, ratios }, Json.Options));
        Plot.Write(points, Path.Combine(outDir, "results.png"));
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (args.Find("readme") is { } readme)
        {
            ReadmeSection.Replace(readme, ReadmeStart, ReadmeEnd, markdown);
        }

        return 0;
    }

    private static PacedPoints ReadPaced(string run)
    {
        OpenLoopPoint? Read(string name)
        {
            var file = Path.Combine(run, "paced", name + ".json");
            return File.Exists(file) ? JsonSerializer.Deserialize<SweepResult>(File.ReadAllText(file), Json.Options)!.Points.FirstOrDefault() : null;
        }

        var alone = Read("minilm-alone");
        var beside = Read("minilm-beside");
        return new PacedPoints(alone?.OfferedRps ?? 0, alone?.P50Ms, beside?.P50Ms);
    }

    private static LoadPoint ReadPoint(string run, string file)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        var split = name.LastIndexOf("__c", StringComparison.Ordinal);
        var scenario = name[..split];
        var concurrency = int.Parse(name[(split + 3)..], CultureInfo.InvariantCulture);
        using var wrk = JsonDocument.Parse(File.ReadAllText(file));
        var w = wrk.RootElement;
        var requests = w.GetProperty("requests").GetInt64();
        var seconds = w.GetProperty("duration_us").GetDouble() / 1e6;
        var socketErrors = w.GetProperty("connect_errors").GetInt64() + w.GetProperty("read_errors").GetInt64()
            + w.GetProperty("write_errors").GetInt64() + w.GetProperty("timeouts").GetInt64();
        var before = Path.Combine(run, "stats", name + ".before.json");
        var after = Path.Combine(run, "stats", name + ".after.json");
        var server = File.Exists(before) && File.Exists(after) ? ServerDelta(before, after) : null;
        return new LoadPoint(scenario, concurrency, requests / seconds, w.GetProperty("p50_us").GetDouble() / 1000,
            w.GetProperty("p99_us").GetDouble() / 1000, requests, w.GetProperty("non2xx").GetInt64(), socketErrors, server);
    }

    private static ServerSide? ServerDelta(string beforeFile, string afterFile)
    {
        using var before = JsonDocument.Parse(File.ReadAllText(beforeFile));
        using var after = JsonDocument.Parse(File.ReadAllText(afterFile));
        var a = after.RootElement.GetProperty("model_stats")[0];
        var b = before.RootElement.GetProperty("model_stats")[0];
        double Delta(string stat, string field) =>
            a.GetProperty("inference_stats").GetProperty(stat).GetProperty(field).GetDouble()
            - b.GetProperty("inference_stats").GetProperty(stat).GetProperty(field).GetDouble();
        var count = Delta("success", "count");
        if (count <= 0)
        {
            return null;
        }

        var executions = a.GetProperty("execution_count").GetDouble() - b.GetProperty("execution_count").GetDouble();
        var items = a.GetProperty("inference_count").GetDouble() - b.GetProperty("inference_count").GetDouble();
        return new ServerSide(Delta("success", "ns") / count / 1000, Delta("queue", "ns") / count / 1000,
            Delta("compute_infer", "ns") / count / 1000, executions > 0 ? items / executions : 0);
    }

    private static string Markdown(JsonElement meta, IReadOnlyList<RawModelResult> raw, IReadOnlyList<LoadPoint> points, IReadOnlyList<Ratio> ratios)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(c, $"Run of {meta.GetProperty("date").GetString()} on {meta.GetProperty("machine").GetString()}; "
            + $"load average before {meta.GetProperty("load_before").GetString()}, after {meta.GetProperty("load_after").GetString()}; "
            + $"{meta.GetProperty("duration_s").GetDouble()} s per load point ({(meta.GetProperty("quick").GetBoolean() ? "--quick" : "full run")}).");
        foreach (var note in meta.GetProperty("notes").EnumerateArray())
        {
            md.AppendLine().AppendLine(c, $"Note: {note.GetString()}");
        }

        md.AppendLine().AppendLine("**Ratios**").AppendLine();
        md.AppendLine("| ratio | measured | target | |").AppendLine("|---|---:|---:|---|");
        foreach (var r in ratios)
        {
            md.AppendLine(c, $"| {r.Name} | {r.Display} | {r.Target ?? "—"} | {r.Verdict} |");
        }

        md.AppendLine().AppendLine("**Raw ONNX Runtime (in-process, same session options as the service)**").AppendLine();
        md.AppendLine("| workload | batch | items/s | ms/batch | p50 ms |").AppendLine("|---|---:|---:|---:|---:|");
        foreach (var model in raw)
        {
            foreach (var p in model.Points)
            {
                var best = ReferenceEquals(p, model.Best) ? " (best)" : string.Empty;
                md.AppendLine(c, $"| {model.Label} | {p.Batch}{best} | {p.ItemsPerSecond:F1} | {p.MillisecondsPerBatch:F2} | {p.P50Ms:F2} |");
            }
        }

        md.AppendLine().AppendLine("**Service under load (wrk, 127.0.0.1)**").AppendLine();
        md.AppendLine("| scenario | clients | req/s | p50 ms | p99 ms | non-2xx | avg batch | server µs/req | queue µs | compute µs | overhead µs (− queue) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in points)
        {
            if (p.Requests == 0)
            {
                md.AppendLine(c, $"| {Scenarios.Descriptions.GetValueOrDefault(p.Scenario, p.Scenario)} | {p.Concurrency} | no answer within the run | | | {p.SocketErrors} | | | | | |");
                continue;
            }

            var s = p.Server;
            var server = s is null ? "— | — | — | — | —"
                : string.Create(c, $"{s.AverageBatch:F1} | {s.SuccessUs:F0} | {s.QueueUs:F0} | {s.ComputeInferUs:F0} | {s.OverheadUs:F0} ({s.OverheadWithoutQueueUs:F0})");
            md.AppendLine(c, $"| {Scenarios.Descriptions.GetValueOrDefault(p.Scenario, p.Scenario)} | {p.Concurrency} | {p.RequestsPerSecond:F1} | {p.P50Ms:F2} | {p.P99Ms:F2} | {p.Non2xx + p.SocketErrors} | {server} |");
        }

        md.AppendLine().AppendLine("server µs/req = `success` ns ÷ count from `/v2/models/{name}/stats` (batcher admission to answer); "
            + "overhead = server µs − compute_infer µs; (− queue) also subtracts the batcher's queue wait.");
        return md.ToString();
    }
}

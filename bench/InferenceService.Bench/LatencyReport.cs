using System.Globalization;
using System.Text;
using System.Text.Json;

namespace InferenceService.Bench;

/// <summary>
/// The <c>latency-report</c> command: reads one latency run (meta.json, sweeps/*.json), writes latency.json, latency.md and
/// latency.png, prints the goal's verdict and replaces the latency section of bench/README.md.
/// </summary>
internal static class LatencyReport
{
    private const string ReadmeStart = "<!-- bench:latency:start -->";
    private const string ReadmeEnd = "<!-- bench:latency:end -->";

    public static int Write(BenchArgs args)
    {
        var run = args.Get("run");
        var outDir = args.Get("out");
        var targetMs = args.Number("target-ms", 50);
        Directory.CreateDirectory(outDir);
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "meta.json")));
        var sweeps = Directory.EnumerateFiles(Path.Combine(run, "sweeps"), "*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonSerializer.Deserialize<SweepResult>(File.ReadAllText(f), Json.Options)!).ToList();
        var workloads = sweeps.GroupBy(s => s.Workload).ToList();

        var md = new StringBuilder();
        Header(md, meta.RootElement, targetMs);
        foreach (var workload in workloads)
        {
            Table(md, workload.Key, workload.ToList(), targetMs);
        }

        var markdown = md.ToString();
        File.WriteAllText(Path.Combine(outDir, "latency.md"), markdown);
        File.WriteAllText(Path.Combine(outDir, "latency.json"), JsonSerializer.Serialize(new { meta = meta.RootElement, target_ms = targetMs, sweeps }, Json.Options));
        LatencyPlot.Write(sweeps, targetMs, Path.Combine(outDir, "latency.png"));
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (args.Find("readme") is { } readme)
        {
            ReadmeSection.Replace(readme, ReadmeStart, ReadmeEnd, markdown);
        }

        return 0;
    }

    private static void Header(StringBuilder md, JsonElement meta, double targetMs)
    {
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"Run of {meta.GetProperty("date").GetString()} on {meta.GetProperty("machine").GetString()}; "
            + $"load average before {meta.GetProperty("load_before").GetString()}, after {meta.GetProperty("load_after").GetString()}; "
            + $"{meta.GetProperty("duration_s").GetDouble()} s per load point ({(meta.GetProperty("quick").GetBoolean() ? "--quick" : "full run")}); "
            + $"target p99 {targetMs} ms.");
        foreach (var note in meta.GetProperty("notes").EnumerateArray())
        {
            md.AppendLine().AppendLine(c, $"Note: {note.GetString()}");
        }
    }

    private static void Table(StringBuilder md, string workload, IReadOnlyList<SweepResult> sweeps, double targetMs)
    {
        var c = CultureInfo.InvariantCulture;
        var letters = sweeps.Select((s, i) => ((char)('A' + i)).ToString()).ToList();
        md.AppendLine().AppendLine(c, $"**{workload}** — offered rates are fractions of {sweeps[0].CapacityRps:F1} req/s (closed-loop throughput of the shipped setting, measured first in this run)").AppendLine();
        for (var i = 0; i < sweeps.Count; i++)
        {
            md.AppendLine(c, $"- {letters[i]}: {sweeps[i].Label}");
        }

        var tuned = sweeps.FirstOrDefault(s => s.Kind == SweepResult.Target);
        md.AppendLine().Append("| offered | req/s |");
        var rule = new StringBuilder("|---:|---:|");
        foreach (var letter in letters)
        {
            md.Append(c, $" {letter} 2xx/s | {letter} p50 | {letter} p99 |");
            rule.Append("---:|---:|---:|");
        }

        md.AppendLine(tuned is null ? string.Empty : " tuned: avg batch (chosen), plan ×|");
        md.AppendLine(tuned is null ? rule.ToString() : rule + "---|");
        foreach (var fraction in sweeps.SelectMany(s => s.Points).Select(p => p.Fraction).Distinct().Order())
        {
            var offered = sweeps.SelectMany(s => s.Points).First(p => p.Fraction == fraction).OfferedRps;
            md.Append(c, $"| {fraction:P0} | {offered:F1} |");
            foreach (var sweep in sweeps)
            {
                md.Append(sweep.Points.FirstOrDefault(p => p.Fraction == fraction) is { } p ? Cells(p, targetMs) : " | | |");
            }

            if (tuned?.Points.FirstOrDefault(p => p.Fraction == fraction) is { } t)
            {
                md.Append(c, $" {t.AverageBatch:F1} ({t.ChosenBatch}), {t.PlanFactor:F2} |");
            }

            md.AppendLine();
        }

        md.AppendLine().AppendLine(c, $"p99 in ms from the scheduled send time; **bold** = over the {targetMs} ms target; ⚠ n = failed requests (non-2xx, errors, or skipped at the in-flight cap), which also miss the target.");
        var lag = sweeps.SelectMany(s => s.Points).Select(p => p.SendLagP99Ms).DefaultIfEmpty(0).Max();
        md.AppendLine().AppendLine(c, $"Generator: its send lag (how late it reached a due time, already inside the latencies) had a p99 of at most {lag:F1} ms over these points.");
        if (LatencyGoal.Of(sweeps, targetMs) is { } goal)
        {
            md.AppendLine().AppendLine(Verdict(goal));
        }

        if (tuned?.LatencyTarget is { } state)
        {
            md.AppendLine().AppendLine(c, $"Tuner after the sweep: {TunerState(state)}");
        }
    }

    private static string Cells(OpenLoopPoint p, double targetMs)
    {
        var c = CultureInfo.InvariantCulture;
        var p99 = double.IsNaN(p.P99Ms) ? "—" : p.P99Ms > targetMs ? string.Create(c, $"**{p.P99Ms:F1}**") : string.Create(c, $"{p.P99Ms:F1}");
        var failed = p.Failures > 0 ? string.Create(c, $" ⚠ {p.Failures}") : string.Empty;
        return string.Create(c, $" {p.ThroughputRps:F1} | {p.P50Ms:F1} | {p99}{failed} |");
    }

    private static string Verdict(LatencyGoal goal)
    {
        var c = CultureInfo.InvariantCulture;
        var met = goal.BestStatic.Points.Count(p => p.Meets(goal.TargetMs));
        var missed = goal.Missed.Count == 0 ? $"meets the target at every rate where it does ({met} of {goal.BestStatic.Points.Count})"
            : "misses the target at " + string.Join(", ", goal.Missed.Select(f => f.ToString("P0", c))) + " where it meets it";
        var verdict = goal.Holds ? "met" : "**missed**";
        return string.Create(c, $"Goal {verdict}: against the best static setting ({goal.BestStatic.Label}, {goal.BestStatic.BestThroughput:F1} req/s at best), "
            + $"the latency target {missed}; its best throughput is {goal.ThroughputRatio:P1} of that setting's (≥ {LatencyGoal.ThroughputShare:P0} wanted). "
            + $"Tuned p99 within the target at every rate: {(goal.TunedHoldsEverywhere ? "yes" : "**no**")}.");
    }

    private static string TunerState(JsonElement s)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var p99 = s.GetProperty("observed_p99_ms") is { ValueKind: JsonValueKind.Number } p ? p.GetDouble().ToString("F1", c) + " ms" : "—";
        text.Append(c, $"plan factor {s.GetProperty("plan_factor").GetDouble():F2}, last adjustment {s.GetProperty("last_adjustment").GetString()}, observed p99 (queue + compute, last 64) {p99}, calibration {s.GetProperty("calibration").GetString()}");
        foreach (var b in s.GetProperty("buckets").EnumerateArray().Where(b => b.GetProperty("batches").GetInt64() > 0))
        {
            text.Append(c, $"; bucket cost {b.GetProperty("a_ms").GetDouble():F2} + {b.GetProperty("b_ms").GetDouble():F2}·n ms, {b.GetProperty("batches").GetInt64()} batches, chosen size {b.GetProperty("batch_size").GetInt32()}, lone wait {b.GetProperty("wait_ms").GetDouble():F1} ms");
        }

        if (s.TryGetProperty("decisions", out var d) && d.ValueKind == JsonValueKind.Object && d.EnumerateObject().Any())
        {
            text.Append(c, $"; batches by decision: {string.Join(", ", d.EnumerateObject().Select(r => $"{r.Name} {r.Value.GetInt64()}"))}");
        }

        if (s.TryGetProperty("warning", out var w) && w.ValueKind == JsonValueKind.String)
        {
            text.Append(c, $"; calibration warning: {w.GetString()!.TrimEnd('.')}");
        }

        return text.Append('.').ToString();
    }
}

using System.Text.Json;

namespace InferenceService.Bench;

/// <summary>One configuration's load sweep: which model and settings, its points, and the tuner's state after the last.</summary>
/// <param name="Kind">static (hand-tuned knobs) or target (latency_target_ms only).</param>
/// <param name="CapacityRps">The closed-loop throughput the offered rates are fractions of.</param>
internal sealed record SweepResult(
    string Workload,
    string ServedName,
    string Label,
    string Kind,
    double CapacityRps,
    IReadOnlyList<OpenLoopPoint> Points,
    JsonElement? LatencyTarget)
{
    public const string Static = "static";
    public const string Target = "target";

    public double BestThroughput => Points.Count == 0 ? 0 : Points.Max(p => p.ThroughputRps);
}

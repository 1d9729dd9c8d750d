namespace InferenceService.Bench;

/// <summary>
/// The issues' ratios: lone client ÷ raw batch 1 and saturated ÷ raw best per model (shipped, work-conserving config,
/// with goals; and a Triton-style delay config beside it), batching on ÷ off, recommender ÷ trivial endpoint, one model
/// beside another, server overhead.
/// </summary>
internal static class Ratios
{
    public static IReadOnlyList<Ratio> From(IReadOnlyList<RawModelResult> raw, IReadOnlyList<LoadPoint> points, PacedPoints paced)
    {
        double? Best(string scenario) => points.Where(p => p.Scenario == scenario && p.Non2xx == 0).Select(p => (double?)p.RequestsPerSecond).Max();
        LoadPoint? At(string scenario, int clients) => points.FirstOrDefault(p => p.Scenario == scenario && p.Concurrency == clients);
        RawModelResult? Raw(string label) => raw.FirstOrDefault(r => r.Label == label);
        double? Div(double? a, double? b) => a is { } x && b is { } y && y > 0 ? x / y : null;

        var resnet = Raw("resnet18");
        var mini16 = Raw("minilm-16");
        var mini128 = Raw("minilm-128");
        var list = new List<Ratio>();
        foreach (var (suffix, config) in new[] { (string.Empty, "shipped"), (Scenarios.Delayed, "delay config") })
        {
            var shipped = suffix.Length == 0;
            list.Add(new($"MiniLM seq 16 V2 JSON in, binary out, 1 client p50 ÷ raw batch-1 p50 ({config})", Div(At(Scenarios.MiniLm16BinaryOut + suffix, 1)?.P50Ms, mini16?.Batch1.P50Ms), "×", Max: shipped ? 1.15 : null));
            list.Add(new($"ResNet18 V2 binary, 1 client p50 ÷ raw batch-1 p50 ({config})", Div(At(Scenarios.ResNet + suffix, 1)?.P50Ms, resnet?.Batch1.P50Ms), "×", Max: shipped ? 1.05 : null));
            list.Add(new($"MiniLM seq 16 V2 JSON, 1 client p50 ÷ raw batch-1 p50 ({config})", Div(At(Scenarios.MiniLm16 + suffix, 1)?.P50Ms, mini16?.Batch1.P50Ms), "×"));
            list.Add(new($"MiniLM seq 16 V2 JSON in, binary out, best ÷ raw best batch ({config})", Div(Best(Scenarios.MiniLm16BinaryOut + suffix), mini16?.Best.ItemsPerSecond), "×", Min: shipped ? 0.95 : null));
            list.Add(new($"ResNet18 V2 binary, best ÷ raw best batch ({config})", Div(Best(Scenarios.ResNet + suffix), resnet?.Best.ItemsPerSecond), "×", Min: shipped ? 0.95 : null));
            list.Add(new($"MiniLM seq 16 V2 JSON, best ÷ raw best batch ({config})", Div(Best(Scenarios.MiniLm16 + suffix), mini16?.Best.ItemsPerSecond), "×", Min: shipped ? 0.90 : null));
        }

        list.AddRange(
        [
            new("MiniLM seq 16 /v1/text/embeddings, best ÷ raw best batch", Div(Best(Scenarios.Text16), mini16?.Best.ItemsPerSecond), "×"),
            new("MiniLM seq 128 V2 JSON, best ÷ raw best batch", Div(Best(Scenarios.MiniLm128), mini128?.Best.ItemsPerSecond), "×"),
            new("MiniLM seq 128 /v1/text/embeddings, best ÷ raw best batch", Div(Best(Scenarios.Text128), mini128?.Best.ItemsPerSecond), "×"),
            new("Batching on ÷ off, MiniLM seq 16, 32 clients", Div(At(Scenarios.BatchOn, 32)?.RequestsPerSecond, At(Scenarios.BatchOff, 32)?.RequestsPerSecond), "×", Min: 1.5),
            new("Batching on ÷ off, ResNet18 V2 binary, 32 clients", Div(At(Scenarios.ResNetBatchOn, 32)?.RequestsPerSecond, At(Scenarios.ResNetBatchOff, 32)?.RequestsPerSecond), "×"),
            new("Recommender best ÷ trivial endpoint best", Div(Best(Scenarios.Recommender), Best(Scenarios.Trivial)), "×", Min: 0.50,
                Note: points.Any(p => p.Scenario == Scenarios.Recommender) ? null : "skipped: no recommender model in models/"),
            new($"MiniLM seq 16 p50 at {paced.RatePerSecond:F0}/s beside a saturated ResNet18 ÷ alone", Div(paced.BesideP50Ms, paced.AloneP50Ms), "×", Max: 1.5),
            new("ResNet18 saturated beside that MiniLM client ÷ alone", Div(At(Scenarios.ResNetBeside, 16)?.RequestsPerSecond, At(Scenarios.ResNetAlone, 16)?.RequestsPerSecond), "×", Min: 0.9),
        ]);
        foreach (var scenario in new[] { Scenarios.ResNet, Scenarios.MiniLm16 })
        {
            var one = At(scenario, 1)?.Server;
            list.Add(new($"Server overhead, {Scenarios.Descriptions[scenario]}, 1 client (mean)", one?.OverheadUs, " µs", Max: 100));
            list.Add(new($"… of which not queue wait", one?.OverheadWithoutQueueUs, " µs", Max: 100));
        }

        return list;
    }
}

/// <summary>MiniLM's paced (open-loop) lone client alone and beside a saturated ResNet18: its p50 each time.</summary>
internal sealed record PacedPoints(double RatePerSecond, double? AloneP50Ms, double? BesideP50Ms);

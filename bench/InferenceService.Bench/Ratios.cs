namespace InferenceService.Bench;

/// <summary>The ratios: service ÷ raw, batching on ÷ off, recommender ÷ trivial endpoint, server overhead.</summary>
internal static class Ratios
{
    public static IReadOnlyList<Ratio> From(IReadOnlyList<RawModelResult> raw, IReadOnlyList<LoadPoint> points)
    {
        double? Best(string scenario) => points.Where(p => p.Scenario == scenario && p.Non2xx == 0).Select(p => (double?)p.RequestsPerSecond).Max();
        LoadPoint? At(string scenario, int clients) => points.FirstOrDefault(p => p.Scenario == scenario && p.Concurrency == clients);
        RawModelResult? Raw(string label) => raw.FirstOrDefault(r => r.Label == label);
        double? Div(double? a, double? b) => a is { } x && b is { } y && y > 0 ? x / y : null;

        var resnet = Raw("resnet18");
        var mini16 = Raw("minilm-16");
        var mini128 = Raw("minilm-128");
        var raw64 = mini16?.Points.FirstOrDefault(p => p.Batch == 64)?.ItemsPerSecond;
        var list = new List<Ratio>
        {
            new("ResNet18 V2 binary, best ÷ raw best batch", Div(Best(Scenarios.ResNet), resnet?.Best.ItemsPerSecond), "×", Min: 0.95),
            new("ResNet18 V2 binary, 1 client ÷ raw batch 1", Div(At(Scenarios.ResNet, 1)?.RequestsPerSecond, resnet?.Batch1.ItemsPerSecond), "×"),
            new("MiniLM seq 16 V2 JSON, best ÷ raw batch 64", Div(Best(Scenarios.MiniLm16), raw64), "×", Min: 0.90),
            new("MiniLM seq 16 V2 JSON in, binary_data_output, best ÷ raw batch 64", Div(Best(Scenarios.MiniLm16BinaryOut), raw64), "×"),
            new("MiniLM seq 16 /v1/text/embeddings, best ÷ raw batch 64", Div(Best(Scenarios.Text16), raw64), "×"),
            new("MiniLM seq 16 V2 JSON, 1 client ÷ raw batch 1", Div(At(Scenarios.MiniLm16, 1)?.RequestsPerSecond, mini16?.Batch1.ItemsPerSecond), "×"),
            new("MiniLM seq 128 V2 JSON, best ÷ raw best batch", Div(Best(Scenarios.MiniLm128), mini128?.Best.ItemsPerSecond), "×"),
            new("MiniLM seq 128 /v1/text/embeddings, best ÷ raw best batch", Div(Best(Scenarios.Text128), mini128?.Best.ItemsPerSecond), "×"),
            new("Batching on ÷ off, MiniLM seq 16, 32 clients", Div(At(Scenarios.BatchOn, 32)?.RequestsPerSecond, At(Scenarios.BatchOff, 32)?.RequestsPerSecond), "×", Min: 1.5),
            new("Batching on ÷ off, ResNet18 V2 binary, 32 clients", Div(At(Scenarios.ResNetBatchOn, 32)?.RequestsPerSecond, At(Scenarios.ResNetBatchOff, 32)?.RequestsPerSecond), "×"),
            new("Recommender best ÷ trivial endpoint best", Div(Best(Scenarios.Recommender), Best(Scenarios.Trivial)), "×", Min: 0.40,
                Note: points.Any(p => p.Scenario == Scenarios.Recommender) ? null : "skipped: no recommender model in models/"),
        };
        foreach (var scenario in new[] { Scenarios.ResNet, Scenarios.MiniLm16 })
        {
            var one = At(scenario, 1)?.Server;
            list.Add(new($"Server overhead, {Scenarios.Descriptions[scenario]}, 1 client (mean)", one?.OverheadUs, " µs", Max: 100));
            list.Add(new($"… of which not queue wait (max_queue_delay)", one?.OverheadWithoutQueueUs, " µs", Max: 100));
        }

        return list;
    }
}

using System.Globalization;
using System.Text;
using InferenceService.Training.Models;

namespace InferenceService.Training.Reports;

/// <summary>The model card: data, hyper-parameters, metrics and the exact command that reproduces the run.</summary>
internal static class ModelCard
{
    public static string ReproduceCommand(TrainSettings s)
    {
        var command = new StringBuilder();
        command.Append(CultureInfo.InvariantCulture, $"dotnet run --project src/InferenceService.Training -c Release -- train {s.Family}");
        if (s.Source is not null)
        {
            command.Append(CultureInfo.InvariantCulture, $" {s.Source} --hidden {s.Hidden} --patience {s.Patience}{(s.Augment ? " --augment" : string.Empty)}");
        }

        command.Append(CultureInfo.InvariantCulture, $" --epochs {s.Epochs} --batch-size {s.BatchSize} --lr {s.LearningRate} --seed {s.Seed} --threads {s.Threads}");
        if (s.Limit > 0)
        {
            command.Append(CultureInfo.InvariantCulture, $" --limit {s.Limit}");
        }

        if (s.RatingsFile is not null)
        {
            command.Append(CultureInfo.InvariantCulture, $" --ratings {s.RatingsFile}");
        }

        return command.ToString();
    }

    public static string Render(TrainedModel model, string parity)
    {
        var s = model.Settings;
        var card = new StringBuilder();
        card.AppendLine(CultureInfo.InvariantCulture, $"# Model card: {s.Family}");
        card.AppendLine();
        card.AppendLine(s.Family == Families.ImageFolder
            ? "Produced by `src/InferenceService.Training` (TorchSharp-cpu 0.107.0): the head's layers appended by hand to the backbone's ONNX graph."
            : "Produced by `src/InferenceService.Training` (TorchSharp-cpu 0.107.0), exported to ONNX opset 17 by hand.");
        card.AppendLine();
        card.AppendLine("## Data");
        card.AppendLine(model.DataDescription);
        card.AppendLine();
        if (model.DataHash is not null)
        {
            card.AppendLine(CultureInfo.InvariantCulture, $"Data SHA-256: `{model.DataHash}`");
            card.AppendLine();
        }

        if (model.Labels is not null)
        {
            card.AppendLine(CultureInfo.InvariantCulture, $"Labels (output order): {string.Join(", ", model.Labels.Select(l => $"`{l}`"))}");
            card.AppendLine();
        }
        card.AppendLine("## Hyper-parameters");
        card.AppendLine(CultureInfo.InvariantCulture, $"- epochs: {s.Epochs}, batch size: {s.BatchSize}, learning rate: {s.LearningRate}, seed: {s.Seed}, torch threads: {s.Threads}");
        card.AppendLine(CultureInfo.InvariantCulture, $"- architecture: `{model.Architecture.ToJsonString()}`");
        if (s.Limit > 0)
        {
            card.AppendLine(CultureInfo.InvariantCulture, $"- training examples limited to {s.Limit}");
        }

        card.AppendLine();
        card.AppendLine("## Metrics");
        card.AppendLine("```json");
        card.AppendLine(model.Metrics.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        card.AppendLine("```");
        AppendPerClass(card, model);
        card.AppendLine(CultureInfo.InvariantCulture, $"Training wall time: {model.WallSeconds:F1} s on {s.Threads} torch thread(s).");
        card.AppendLine();
        card.AppendLine("## Export check");
        card.AppendLine(CultureInfo.InvariantCulture, $"ONNX Runtime vs TorchSharp on random inputs: {parity}");
        card.AppendLine();
        card.AppendLine("## Reproduce");
        card.AppendLine("With `--threads 1` the run is deterministic for a given `--seed` (same data, same machine type):");
        card.AppendLine("```");
        card.AppendLine(ReproduceCommand(s));
        card.AppendLine("```");
        return card.ToString();
    }

    /// <summary>Per-class precision and recall on the held-out set, and the confusion plot beside the card.</summary>
    private static void AppendPerClass(StringBuilder card, TrainedModel model)
    {
        if (model.Metrics["per_class"] is not System.Text.Json.Nodes.JsonObject perClass)
        {
            return;
        }

        card.AppendLine();
        card.AppendLine("| label | precision | recall | support |");
        card.AppendLine("|---|---|---|---|");
        foreach (var (label, value) in perClass)
        {
            card.AppendLine(CultureInfo.InvariantCulture,
                $"| {label} | {value!["precision"]!.GetValue<double>():F3} | {value["recall"]!.GetValue<double>():F3} | {value["support"]!.GetValue<int>()} |");
        }

        card.AppendLine();
        card.AppendLine(CultureInfo.InvariantCulture, $"![confusion matrix (rows: true, columns: predicted)]({RunFiles.Confusion})");
        card.AppendLine();
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using InferenceService.Training.Export;
using InferenceService.Training.Models;

namespace InferenceService.Training.Reports;

/// <summary>
/// Writes a run folder: the ONNX export, the TorchSharp weights (so verify can rebuild the module), config,
/// labels, metrics, curves, confusion matrix, parity figures and the model card.
/// </summary>
internal static class RunWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static ParityReport Write(TrainedModel model, string folder)
    {
        Directory.CreateDirectory(folder);
        var onnx = model.Onnx.ToByteArray();
        File.WriteAllBytes(Path.Combine(folder, RunFiles.Onnx), onnx);
        model.Module.save(Path.Combine(folder, RunFiles.Weights));
        var manifest = new JsonObject
        {
            ["family"] = model.Settings.Family,
            ["architecture"] = model.Architecture.DeepClone(),
            ["settings"] = JsonSerializer.SerializeToNode(model.Settings),
            ["reproduce"] = ModelCard.ReproduceCommand(model.Settings),
        };
        File.WriteAllText(Path.Combine(folder, RunFiles.Manifest), manifest.ToJsonString(Indented));
        File.WriteAllText(Path.Combine(folder, RunFiles.Config), model.Config.ToJson());
        if (model.Labels is not null)
        {
            File.WriteAllLines(Path.Combine(folder, RunFiles.Labels), model.Labels);
        }

        foreach (var (name, content) in model.ExtraFiles)
        {
            File.WriteAllText(Path.Combine(folder, name), content);
        }

        var parity = ParityVerifier.Verify(onnx, model.Probe);
        var metrics = model.Metrics.DeepClone().AsObject();
        metrics["parity_max_abs_diff"] = parity.MaxAbsDiff;
        metrics["curve"] = JsonSerializer.SerializeToNode(model.Curve);
        File.WriteAllText(Path.Combine(folder, RunFiles.Metrics), metrics.ToJsonString(Indented));
        File.WriteAllText(Path.Combine(folder, RunFiles.Parity), ParityJson(parity).ToJsonString(Indented));
        CurvePlot.Write(model.Curve, model.MetricName, folder);
        if (model.ConfusionMatrix is not null && model.Labels is not null)
        {
            ConfusionPlot.Write(model.ConfusionMatrix, model.Labels, Path.Combine(folder, RunFiles.Confusion));
        }

        File.WriteAllText(Path.Combine(folder, RunFiles.Card), ModelCard.Render(model, parity.ToString()));
        return parity;
    }

    public static JsonObject ParityJson(ParityReport parity) => new()
    {
        ["tolerance"] = parity.Tolerance,
        ["max_abs_diff"] = parity.MaxAbsDiff,
        ["by_batch"] = new JsonObject(parity.MaxAbsDiffByBatch.Select(p => KeyValuePair.Create(p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)p.Value))),
        ["passed"] = parity.Passed,
    };
}

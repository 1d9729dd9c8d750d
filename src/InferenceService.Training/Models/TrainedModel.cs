using System.Text.Json.Nodes;
using InferenceService.Training.Export;
using InferenceService.Training.Publish;
using Onnx;
using static TorchSharp.torch;

namespace InferenceService.Training.Models;

/// <summary>What a training run hands to the run writer: the module, its ONNX export, its config and its report data.</summary>
internal sealed record TrainedModel
{
    public required TrainSettings Settings { get; init; }

    public required nn.Module Module { get; init; }

    public required IParityProbe Probe { get; init; }

    public required ModelProto Onnx { get; init; }

    public required ModelConfig Config { get; init; }

    /// <summary>The architecture arguments verify needs to rebuild the module.</summary>
    public required JsonObject Architecture { get; init; }

    public required JsonObject Metrics { get; init; }

    public required string DataDescription { get; init; }

    public required string MetricName { get; init; }

    /// <summary>SHA-256 identifying the training data (user data sets), shown on the model card.</summary>
    public string? DataHash { get; init; }

    public IReadOnlyList<string>? Labels { get; init; }

    public int[,]? ConfusionMatrix { get; init; }

    public IReadOnlyList<EpochRecord> Curve { get; init; } = [];

    /// <summary>Extra files the version folder carries (name → content), e.g. items.txt.</summary>
    public IReadOnlyDictionary<string, string> ExtraFiles { get; init; } = new Dictionary<string, string>();

    public double WallSeconds { get; init; }
}

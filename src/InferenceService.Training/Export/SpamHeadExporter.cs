using InferenceService.Training.Models;
using Onnx;

namespace InferenceService.Training.Export;

/// <summary>Writes <see cref="SpamHead"/> as ONNX: "embedding" [batch,inputs] → "logits" [batch,classes].</summary>
internal static class SpamHeadExporter
{
    public const string InputName = "embedding";
    public const string OutputName = "logits";

    public static ModelProto Export(SpamHead model, IReadOnlyDictionary<string, string> metadata)
    {
        var builder = new OnnxGraphBuilder("spam_head");
        var x = builder.AddInput(InputName, OnnxGraphBuilder.Float, null, model.Inputs);
        AppendHead(builder, model, x, OutputName);
        builder.AddOutput(OutputName, OnnxGraphBuilder.Float, null, model.Classes);
        return builder.Build(metadata);
    }

    /// <summary>The head's eval-mode layers from <paramref name="input"/> to <paramref name="output"/> (dropout is identity).</summary>
    public static string AppendHead(OnnxGraphBuilder builder, SpamHead model, string input, string output)
    {
        var x = model.Fc1 is null ? input : LayerExport.Relu(builder, LayerExport.Linear(builder, model.Fc1, input));
        return LayerExport.Linear(builder, model.Fc2, x, output);
    }
}

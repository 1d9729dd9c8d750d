using InferenceService.Training.Models;
using Onnx;

namespace InferenceService.Training.Export;

/// <summary>Writes <see cref="SpamHead"/> as ONNX: "embedding" [batch,384] → "logits" [batch,2].</summary>
internal static class SpamHeadExporter
{
    public const string InputName = "embedding";
    public const string OutputName = "logits";

    public static ModelProto Export(SpamHead model, IReadOnlyDictionary<string, string> metadata)
    {
        var builder = new OnnxGraphBuilder("spam_head");
        var x = builder.AddInput(InputName, OnnxGraphBuilder.Float, null, model.Inputs);
        x = LayerExport.Relu(builder, LayerExport.Linear(builder, model.Fc1, x));
        LayerExport.Linear(builder, model.Fc2, x, OutputName);
        builder.AddOutput(OutputName, OnnxGraphBuilder.Float, null, 2);
        return builder.Build(metadata);
    }
}

using InferenceService.Training.Models;
using Onnx;

namespace InferenceService.Training.Export;

/// <summary>Writes <see cref="ImageCnn"/> as ONNX: input "input" [batch,1,28,28] → output "logits" [batch,classes].</summary>
internal static class ImageCnnExporter
{
    public const string InputName = "input";
    public const string OutputName = "logits";

    public static ModelProto Export(ImageCnn model, IReadOnlyDictionary<string, string> metadata)
    {
        var builder = new OnnxGraphBuilder("image_cnn");
        var x = builder.AddInput(InputName, OnnxGraphBuilder.Float, null, 1, 28, 28);
        x = LayerExport.Conv2d(builder, model.Conv1, x, ImageCnn.Kernel, ImageCnn.Padding);
        x = LayerExport.BatchNorm2d(builder, model.Bn1, x);
        x = LayerExport.MaxPool2d(builder, LayerExport.Relu(builder, x), 2);
        x = LayerExport.Conv2d(builder, model.Conv2, x, ImageCnn.Kernel, ImageCnn.Padding);
        x = LayerExport.BatchNorm2d(builder, model.Bn2, x);
        x = LayerExport.MaxPool2d(builder, LayerExport.Relu(builder, x), 2);
        x = LayerExport.Flatten(builder, x);
        x = LayerExport.Relu(builder, LayerExport.Linear(builder, model.Fc1, x));
        LayerExport.Linear(builder, model.Fc2, x, OutputName);
        builder.AddOutput(OutputName, OnnxGraphBuilder.Float, null, model.Shape.Classes);
        return builder.Build(metadata);
    }
}

using InferenceService.Training.Datasets;
using InferenceService.Training.Models;
using Onnx;

namespace InferenceService.Training.Export;

/// <summary>
/// One servable graph for an image head: the backbone's ONNX graph unchanged, then its pooled features flattened,
/// L2-normalised (as the embeddings the head was trained on) and the head's layers, ending in "logits" [batch,classes].
/// The existing image-classifier pipeline serves it with the backbone's own preprocessing.
/// </summary>
internal static class BackboneHeadExporter
{
    public const string OutputName = "logits";

    public static ModelProto Export(Backbone backbone, SpamHead head, IReadOnlyDictionary<string, string> metadata)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(backbone.OnnxPath));
        var builder = new OnnxGraphBuilder("head", "head/");
        var flat = LayerExport.Flatten(builder, backbone.OutputName);

        // x / max(sqrt(sum x²), 1e-12): Mul, MatMul with a ones column, Sqrt, Max, Div exist unchanged in every opset
        // since 8, unlike ReduceL2/ReduceSum whose axes moved from attribute to input.
        var squared = builder.AddNode("Mul", [flat, flat]);
        var ones = builder.AddInitializer(builder.UniqueName("ones"), Enumerable.Repeat(1f, backbone.Features).ToArray(), backbone.Features, 1);
        var norm = builder.AddNode("Sqrt", [builder.AddNode("MatMul", [squared, ones])]);
        var floor = builder.AddInitializer(builder.UniqueName("floor"), [1e-12f], 1);
        var unit = builder.AddNode("Div", [flat, builder.AddNode("Max", [norm, floor])]);
        SpamHeadExporter.AppendHead(builder, head, unit, OutputName);
        builder.AddOutput(OutputName, OnnxGraphBuilder.Float, null, head.Classes);
        var appended = builder.Build(new Dictionary<string, string>());

        model.Graph.Node.AddRange(appended.Graph.Node);
        model.Graph.Initializer.AddRange(appended.Graph.Initializer);
        model.Graph.Output.Clear();
        model.Graph.Output.AddRange(appended.Graph.Output);
        model.ProducerName = "InferenceService.Training";
        foreach (var (key, value) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }
}

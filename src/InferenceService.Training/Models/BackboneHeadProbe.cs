using InferenceService.Training.Datasets;
using InferenceService.Training.Export;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace InferenceService.Training.Models;

/// <summary>
/// Parity probe for a backbone + head graph: random preprocessed images in; the reference is the backbone run alone in
/// ONNX Runtime (the served backbone's file), its features L2-normalised, then the TorchSharp head. So the check covers
/// the appended normalisation and head nodes against the module that was trained.
/// </summary>
internal sealed class BackboneHeadProbe(SpamHead head, Backbone backbone) : IParityProbe
{
    public IReadOnlyDictionary<string, Tensor> RandomInputs(int batch, Generator generator)
    {
        var spec = backbone.Image;
        var pixels = rand([batch, spec.Channels, spec.Height, spec.Width], generator: generator) * 255 * spec.Scale;
        var mean = tensor(Expand(spec.Mean, spec.Channels)).view(1, spec.Channels, 1, 1);
        var std = tensor(Expand(spec.Std, spec.Channels)).view(1, spec.Channels, 1, 1);
        return new Dictionary<string, Tensor> { [backbone.InputName] = (pixels - mean) / std };
    }

    public IReadOnlyDictionary<string, Tensor> Forward(IReadOnlyDictionary<string, Tensor> inputs)
    {
        var images = inputs[backbone.InputName];
        var count = (int)images.shape[0];
        using var embedder = new BackboneEmbedder(backbone, threads: 1);
        var vectors = embedder.Embed(images.contiguous().data<float>().ToArray(), count);
        head.eval();
        using var x = EmbeddingHeadTrainer.Stack(vectors, backbone.Features);
        return new Dictionary<string, Tensor> { [BackboneHeadExporter.OutputName] = head.forward(x) };
    }

    private static float[] Expand(IReadOnlyList<float> values, int channels) =>
        [.. Enumerable.Range(0, channels).Select(c => values[values.Count == 1 ? 0 : c])];
}

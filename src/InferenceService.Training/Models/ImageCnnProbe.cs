using InferenceService.Training.Export;
using static TorchSharp.torch;

namespace InferenceService.Training.Models;

/// <summary>Parity probe for <see cref="ImageCnn"/>: Gaussian images in, logits out (eval mode).</summary>
internal sealed class ImageCnnProbe(ImageCnn model) : IParityProbe
{
    public IReadOnlyDictionary<string, Tensor> RandomInputs(int batch, Generator generator) =>
        new Dictionary<string, Tensor> { [ImageCnnExporter.InputName] = randn([batch, 1, 28, 28], generator: generator) };

    public IReadOnlyDictionary<string, Tensor> Forward(IReadOnlyDictionary<string, Tensor> inputs)
    {
        model.eval();
        return new Dictionary<string, Tensor> { [ImageCnnExporter.OutputName] = model.forward(inputs[ImageCnnExporter.InputName]) };
    }
}

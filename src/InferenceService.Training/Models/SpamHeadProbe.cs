using InferenceService.Training.Export;
using static TorchSharp.torch;

namespace InferenceService.Training.Models;

/// <summary>Parity probe for <see cref="SpamHead"/>: random unit vectors (like real embeddings) in, logits out.</summary>
internal sealed class SpamHeadProbe(SpamHead model) : IParityProbe
{
    public IReadOnlyDictionary<string, Tensor> RandomInputs(int batch, Generator generator)
    {
        var x = randn([batch, model.Inputs], generator: generator);
        return new Dictionary<string, Tensor> { [SpamHeadExporter.InputName] = x / x.norm(1, keepdim: true) };
    }

    public IReadOnlyDictionary<string, Tensor> Forward(IReadOnlyDictionary<string, Tensor> inputs)
    {
        model.eval();
        return new Dictionary<string, Tensor> { [SpamHeadExporter.OutputName] = model.forward(inputs[SpamHeadExporter.InputName]) };
    }
}

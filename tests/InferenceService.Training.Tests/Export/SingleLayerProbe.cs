using InferenceService.Training.Export;
using static TorchSharp.torch;

namespace InferenceService.Training.Tests.Export;

/// <summary>A parity probe around one layer: random inputs of a given per-item shape, the layer's forward as reference.</summary>
internal sealed class SingleLayerProbe(long[] itemShape, Func<Tensor, Tensor> forward) : IParityProbe
{
    public IReadOnlyDictionary<string, Tensor> RandomInputs(int batch, Generator generator) =>
        new Dictionary<string, Tensor> { ["x"] = randn([batch, .. itemShape], generator: generator) };

    public IReadOnlyDictionary<string, Tensor> Forward(IReadOnlyDictionary<string, Tensor> inputs) =>
        new Dictionary<string, Tensor> { ["y"] = forward(inputs["x"]) };
}

using static TorchSharp.torch;

namespace InferenceService.Training.Export;

/// <summary>What parity verification needs from a trained model: random inputs and the TorchSharp outputs for them.</summary>
internal interface IParityProbe
{
    IReadOnlyDictionary<string, Tensor> RandomInputs(int batch, Generator generator);

    IReadOnlyDictionary<string, Tensor> Forward(IReadOnlyDictionary<string, Tensor> inputs);
}

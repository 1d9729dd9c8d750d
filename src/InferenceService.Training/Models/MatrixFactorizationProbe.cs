using InferenceService.Training.Export;
using static TorchSharp.torch;

namespace InferenceService.Training.Models;

/// <summary>Parity probe for the recommender: random user and item ids [batch, 1] in, both score vectors out.</summary>
internal sealed class MatrixFactorizationProbe(MatrixFactorization model) : IParityProbe
{
    public IReadOnlyDictionary<string, Tensor> RandomInputs(int batch, Generator generator) => new Dictionary<string, Tensor>
    {
        [RecommenderExporter.UserInput] = randint(model.UserCount, [batch, 1], generator: generator, dtype: ScalarType.Int64),
        [RecommenderExporter.ItemInput] = randint(model.ItemCount, [batch, 1], generator: generator, dtype: ScalarType.Int64),
    };

    public IReadOnlyDictionary<string, Tensor> Forward(IReadOnlyDictionary<string, Tensor> inputs)
    {
        model.eval();
        return new Dictionary<string, Tensor>
        {
            [RecommenderExporter.UserOutput] = model.forward(inputs[RecommenderExporter.UserInput].flatten()),
            [RecommenderExporter.ItemOutput] = model.ItemSimilarity(inputs[RecommenderExporter.ItemInput].flatten()),
        };
    }
}

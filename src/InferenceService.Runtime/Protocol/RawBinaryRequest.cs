using System.Buffers;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Protocol;

/// <summary>
/// A raw binary request (<c>Inference-Header-Content-Length: 0</c>): the whole body is the data of a single-input
/// model's only input, batch 1. The shape comes from the config; one variable dim is inferred from the length.
/// </summary>
public static class RawBinaryRequest
{
    public static V2InferRequest Build(string modelName, ModelConfig config, ReadOnlySpan<byte> body)
    {
        var (input, type, shape, count) = Describe(modelName, config, body.Length);
        return Request(input, type, shape, BinaryTensorData.Decode(type, count, body, $"input '{input.Name}'"));
    }

    /// <summary>The same from the body as the server holds it (in pieces): each byte is copied once, into the tensor.</summary>
    public static V2InferRequest Build(string modelName, ModelConfig config, ReadOnlySequence<byte> body)
    {
        var (input, type, shape, count) = Describe(modelName, config, body.Length);
        return Request(input, type, shape, BinaryTensorData.Decode(type, count, body, $"input '{input.Name}'"));
    }

    private static V2InferRequest Request(TensorConfig input, TensorDataType type, long[] shape, Array data) =>
        new() { Inputs = [new Tensor(input.Name, type, shape, data)], AllOutputsBinary = true };

    private static (TensorConfig Input, TensorDataType Type, long[] Shape, int Count) Describe(string modelName, ModelConfig config, long length)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Inputs.Count != 1)
        {
            throw InferenceException.BadRequest($"A raw binary request needs a model with one input; '{modelName}' has {config.Inputs.Count}. Send a JSON header (Inference-Header-Content-Length > 0).");
        }

        var input = config.Inputs[0];
        TensorDataTypes.TryParse(input.Datatype, out var type);
        var dims = input.Dims.ToArray();
        var variable = dims.Count(d => d < 0);
        if (variable > 0)
        {
            var size = type.ElementSize();
            var fixedCount = dims.Where(d => d > 0).Aggregate(1L, (a, d) => a * d);
            if (variable > 1 || size == 0 || length % (size * fixedCount) != 0)
            {
                throw InferenceException.BadRequest($"Input '{input.Name}' has dims [{string.Join(",", input.Dims)}]: a raw binary body of {length} bytes does not determine its shape. Send a JSON header with the shape.");
            }

            dims[Array.IndexOf(dims, -1L)] = length / (size * fixedCount);
        }

        long[] shape = config.MaxBatchSize > 0 ? [1, .. dims] : dims;
        if (!TensorShape.TryGetElementCount(shape, out var count))
        {
            throw InferenceException.BadRequest($"Input '{input.Name}': shape {TensorShape.Format(shape)} is too large.");
        }

        return (input, type, shape, count);
    }
}

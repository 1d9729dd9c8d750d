using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;
using SkiaSharp;

namespace InferenceService.Runtime.Pipelines;

/// <summary>Image embeddings from the ResNet18 featurizer: 512 pooled features per image, L2-normalised.</summary>
public static class ImageEmbedder
{
    public const string ModelName = "resnet18";

    /// <summary>
    /// One unit vector per encoded image, in order. Each image is decoded, preprocessed and freed before the next (only
    /// its 224x224 floats are kept), and images go in requests of up to max_batch_size so the batcher can merge them.
    /// </summary>
    public static async Task<IReadOnlyList<float[]>> EmbedAsync(ModelVersion model, IReadOnlyList<ReadOnlyMemory<byte>> images, long maxPixels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        var spec = ImageSpec.ResNet18;
        var input = model.Config.Inputs[0];
        var output = model.Config.Outputs[0];
        var width = checked((int)output.Dims.Aggregate(1L, (a, d) => a * d));
        var perImage = spec.Channels * spec.Height * spec.Width;
        var result = new List<float[]>(images.Count);
        var numbered = images.Select((image, index) => (image, index));
        foreach (var chunk in numbered.Chunk(ModelCall.MaxItems(model.Config)))
        {
            var pixels = new float[chunk.Length * perImage];
            using (InferenceTelemetry.StartStage(InferenceTelemetry.PreprocessSpan, model.Name))
            {
                for (var i = 0; i < chunk.Length; i++)
                {
                    var what = images.Count == 1 ? "image" : $"image #{chunk[i].index + 1}";
                    using var bitmap = ImageDecoder.Decode(chunk[i].image.Span, maxPixels, what, new SKSizeI(spec.Width, spec.Height));
                    ImagePreprocessor.WriteChw(bitmap, spec, pixels.AsSpan(i * perImage, perImage));
                }
            }

            var shape = ModelCall.Shape(model.Config, chunk.Length, spec.Channels, spec.Height, spec.Width);
            var outputs = await ModelCall.RunAsync(model, [Tensor.Create(input.Name, TensorDataType.Fp32, shape, pixels)], [output.Name], cancellationToken).ConfigureAwait(false);
            using var normalise = InferenceTelemetry.StartStage(InferenceTelemetry.PostprocessSpan, model.Name);
            var features = ModelCall.Rows(outputs[0], chunk.Length, width, model.Name);
            for (var i = 0; i < chunk.Length; i++)
            {
                var vector = features.AsSpan(i * width, width).ToArray();
                VectorMath.L2Normalize(vector);
                result.Add(vector);
            }
        }

        return result;
    }
}

using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;
using SkiaSharp;

namespace InferenceService.Runtime.Pipelines;

/// <summary>Image embeddings from a feature extractor (the ResNet18 featurizer): its pooled features per image, L2-normalised.</summary>
public sealed class ImageEmbedder : ITaskPipeline
{
    public const string ModelName = "resnet18";

    private readonly ImageSpec _spec;
    private readonly string _inputName;
    private readonly string _outputName;

    private ImageEmbedder(ImageSpec spec, string inputName, string outputName, int width)
    {
        _spec = spec;
        _inputName = inputName;
        _outputName = outputName;
        Width = width;
    }

    public string Kind => PipelineKinds.ImageEmbedder;

    /// <summary>Values per embedding.</summary>
    public int Width { get; }

    /// <summary>
    /// One unit vector per encoded image, in order. Each image is decoded, preprocessed and freed before the next (only
    /// its input floats are kept), and images go in requests of up to max_batch_size so the batcher can merge them.
    /// </summary>
    public async Task<IReadOnlyList<float[]>> EmbedAsync(InferenceGateway gateway, InferenceTicket ticket, IReadOnlyList<ReadOnlyMemory<byte>> images, long maxPixels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(images);
        var model = ticket.Model;
        var perImage = _spec.Channels * _spec.Height * _spec.Width;
        var result = new List<float[]>(images.Count);
        var numbered = images.Select((image, index) => (image, index));
        foreach (var chunk in numbered.Chunk(PipelineTensors.MaxItems(model.Config)))
        {
            var pixels = new float[chunk.Length * perImage];
            using (InferenceTelemetry.StartStage(InferenceTelemetry.PreprocessSpan, model.Name))
            {
                for (var i = 0; i < chunk.Length; i++)
                {
                    var what = images.Count == 1 ? "image" : $"image #{chunk[i].index + 1}";
                    using var bitmap = ImageDecoder.Decode(chunk[i].image.Span, maxPixels, what, new SKSizeI(_spec.Width, _spec.Height));
                    ImagePreprocessor.WriteChw(bitmap, _spec, pixels.AsSpan(i * perImage, perImage));
                }
            }

            var shape = PipelineTensors.Shape(model.Config, chunk.Length, _spec.Channels, _spec.Height, _spec.Width);
            var outputs = await gateway.SubmitAsync(ticket, new([Tensor.Create(_inputName, TensorDataType.Fp32, shape, pixels)], [_outputName]), cancellationToken).ConfigureAwait(false);
            using var normalise = InferenceTelemetry.StartStage(InferenceTelemetry.PostprocessSpan, model.Name);
            var features = PipelineTensors.Rows(outputs[0], chunk.Length, Width, model.Name);
            for (var i = 0; i < chunk.Length; i++)
            {
                var vector = features.AsSpan(i * Width, Width).ToArray();
                VectorMath.L2Normalize(vector);
                result.Add(vector);
            }
        }

        return result;
    }

    internal static ImageEmbedder Build(ModelVersion model)
    {
        var config = TaskPipelines.ReadConfig<ImageEmbedderConfig>(model);
        if (config.Image.Problem() is { } problem)
        {
            throw TaskPipelines.Misconfigured(model, "pipeline." + problem);
        }

        var input = model.Config.Inputs[0];
        var expected = new long[] { config.Image.Channels, config.Image.Height, config.Image.Width };
        if (!input.Dims.SequenceEqual(expected))
        {
            throw TaskPipelines.Misconfigured(model, $"input '{input.Name}' has dims {TaskPipelines.Dims(input.Dims)} but pipeline.image describes {TaskPipelines.Dims(expected)}");
        }

        var output = model.Config.Outputs[0];
        if (output.Dims.Count == 0 || output.Dims.Any(d => d < 1))
        {
            throw TaskPipelines.Misconfigured(model, $"output '{output.Name}' must have fixed dims (the features), got {TaskPipelines.Dims(output.Dims)}");
        }

        return new ImageEmbedder(config.Image, input.Name, output.Name, checked((int)output.Dims.Aggregate(1L, (a, d) => a * d)));
    }
}

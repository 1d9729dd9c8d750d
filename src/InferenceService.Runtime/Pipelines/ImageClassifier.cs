using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;
using SkiaSharp;

namespace InferenceService.Runtime.Pipelines;

/// <summary>Image classifiers from the training module: preprocessing from config.json, softmax over raw logits, top-k labels.</summary>
public sealed class ImageClassifier : ITaskPipeline
{
    private readonly string _inputName;
    private readonly string _outputName;

    private ImageClassifier(ImageClassifierConfig config, IReadOnlyList<string> labels, string inputName, string outputName)
    {
        Config = config;
        Labels = labels;
        _inputName = inputName;
        _outputName = outputName;
    }

    public string Kind => PipelineKinds.ImageClassifier;

    public ImageClassifierConfig Config { get; }

    public IReadOnlyList<string> Labels { get; }

    /// <summary>The <paramref name="k"/> most probable labels (all of them when k exceeds the label count), most probable first.</summary>
    public async Task<IReadOnlyList<LabelScore>> ClassifyAsync(InferenceGateway gateway, InferenceTicket ticket, ReadOnlyMemory<byte> image, long maxPixels, int k, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(ticket);
        var model = ticket.Model;
        var spec = Config.Image;
        float[] pixels;
        using (InferenceTelemetry.StartStage(InferenceTelemetry.PreprocessSpan, model.Name))
        using (var bitmap = ImageDecoder.Decode(image.Span, maxPixels, "image", new SKSizeI(spec.Width, spec.Height)))
        {
            pixels = ImagePreprocessor.ToChw(bitmap, spec);
        }

        var shape = PipelineTensors.Shape(model.Config, 1, spec.Channels, spec.Height, spec.Width);
        var outputs = await gateway.SubmitAsync(ticket, new([Tensor.Create(_inputName, TensorDataType.Fp32, shape, pixels)], [_outputName]), cancellationToken).ConfigureAwait(false);
        using var rank = InferenceTelemetry.StartStage(InferenceTelemetry.PostprocessSpan, model.Name);
        var logits = PipelineTensors.Rows(outputs[0], 1, Labels.Count, model.Name);
        var probabilities = VectorMath.Softmax(logits);
        return VectorMath.TopK(probabilities, k).Select(s => new LabelScore(Labels[s.Index], s.Index, s.Score)).ToList();
    }

    internal static ImageClassifier Build(ModelVersion model)
    {
        var config = TaskPipelines.ReadConfig<ImageClassifierConfig>(model);
        if (config.Image.Problem() is { } problem)
        {
            throw TaskPipelines.Misconfigured(model, "pipeline." + problem);
        }

        var labels = TaskPipelines.ReadLines(model, config.Labels, "labels");
        var input = model.Config.Inputs[0];
        var expected = new long[] { config.Image.Channels, config.Image.Height, config.Image.Width };
        if (!input.Dims.SequenceEqual(expected))
        {
            throw TaskPipelines.Misconfigured(model, $"input '{input.Name}' has dims {TaskPipelines.Dims(input.Dims)} but pipeline.image describes {TaskPipelines.Dims(expected)}");
        }

        var output = TaskPipelines.LogitsOutput(model.Config);
        if (output.Dims.Count == 0 || output.Dims[^1] != labels.Count)
        {
            throw TaskPipelines.Misconfigured(model, $"output '{output.Name}' has dims {TaskPipelines.Dims(output.Dims)} but {config.Labels} has {labels.Count} labels");
        }

        return new ImageClassifier(config, labels, input.Name, output.Name);
    }
}

using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;
using SkiaSharp;

namespace InferenceService.Runtime.Pipelines;

/// <summary>Image classifiers from the training module: preprocessing from config.json, softmax over raw logits, top-k labels.</summary>
public sealed class ImageClassifier
{
    private ImageClassifier(ImageClassifierConfig config, IReadOnlyList<string> labels, string inputName, string outputName)
    {
        Config = config;
        Labels = labels;
        InputName = inputName;
        OutputName = outputName;
    }

    public ImageClassifierConfig Config { get; }

    public IReadOnlyList<string> Labels { get; }

    private string InputName { get; }

    private string OutputName { get; }

    /// <summary>The classifier of a version whose pipeline kind is image-classifier, read once per version.</summary>
    public static ImageClassifier For(ModelVersion model) => TaskModel.Get(model, Load);

    /// <summary>The <paramref name="k"/> most probable labels (all of them when k exceeds the label count), most probable first.</summary>
    public async Task<IReadOnlyList<LabelScore>> ClassifyAsync(ModelVersion model, ReadOnlyMemory<byte> image, long maxPixels, int k, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var spec = Config.Image;
        float[] pixels;
        using (InferenceTelemetry.StartStage(InferenceTelemetry.PreprocessSpan, model.Name))
        using (var bitmap = ImageDecoder.Decode(image.Span, maxPixels, "image", new SKSizeI(spec.Width, spec.Height)))
        {
            pixels = ImagePreprocessor.ToChw(bitmap, spec);
        }

        var shape = ModelCall.Shape(model.Config, 1, spec.Channels, spec.Height, spec.Width);
        var outputs = await ModelCall.RunAsync(model, [Tensor.Create(InputName, TensorDataType.Fp32, shape, pixels)], [OutputName], cancellationToken).ConfigureAwait(false);
        using var rank = InferenceTelemetry.StartStage(InferenceTelemetry.PostprocessSpan, model.Name);
        var logits = ModelCall.Rows(outputs[0], 1, Labels.Count, model.Name);
        var probabilities = VectorMath.Softmax(logits);
        return VectorMath.TopK(probabilities, k).Select(s => new LabelScore(Labels[s.Index], s.Index, s.Score)).ToList();
    }

    private static ImageClassifier Load(ModelVersion model)
    {
        var config = TaskModel.ReadConfig<ImageClassifierConfig>(model);
        if (config.Image.Problem() is { } problem)
        {
            throw TaskModel.Misconfigured(model, "pipeline." + problem);
        }

        var labels = TaskModel.ReadLines(model, config.Labels, "labels");
        var input = model.Config.Inputs[0];
        var expected = new long[] { config.Image.Channels, config.Image.Height, config.Image.Width };
        if (!input.Dims.SequenceEqual(expected))
        {
            throw TaskModel.Misconfigured(model, $"input '{input.Name}' has dims [{string.Join(",", input.Dims)}] but pipeline.image describes [{string.Join(",", expected)}]");
        }

        var output = model.Config.Outputs.FirstOrDefault(o => o.Name == "logits") ?? model.Config.Outputs[0];
        if (output.Dims.Count == 0 || output.Dims[^1] != labels.Count)
        {
            throw TaskModel.Misconfigured(model, $"output '{output.Name}' has dims [{string.Join(",", output.Dims)}] but {config.Labels} has {labels.Count} labels");
        }

        return new ImageClassifier(config, labels, input.Name, output.Name);
    }
}

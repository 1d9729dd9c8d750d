using InferenceService.Runtime.Pipelines;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace InferenceService.Training.Datasets;

/// <summary>
/// Image embeddings from a backbone through ONNX Runtime, computed as the image-embedder endpoint does: the runtime's
/// <see cref="ImageDecoder"/> and <see cref="ImagePreprocessor"/>, the backbone's pooled features, L2-normalised.
/// </summary>
internal sealed class BackboneEmbedder : IDisposable
{
    /// <summary>Generous next to the service's default limit: training data is the user's own, not a request.</summary>
    public const long MaxPixels = 100_000_000;

    private const float CropShare = 0.85f;
    private readonly InferenceSession _session;

    public BackboneEmbedder(Backbone backbone, int threads)
    {
        Backbone = backbone;
        using var options = new SessionOptions { IntraOpNumThreads = threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(backbone.OnnxPath, options);
    }

    public Backbone Backbone { get; }

    public int PixelsPerImage => Backbone.Image.Channels * Backbone.Image.Width * Backbone.Image.Height;

    /// <summary>Decodes and preprocesses one image into <paramref name="destination"/>; throws <see cref="PipelineException"/> when unreadable.</summary>
    public void Preprocess(ReadOnlySpan<byte> encoded, string what, ImageAugmentation augmentation, Span<float> destination)
    {
        var spec = Backbone.Image;
        using var bitmap = ImageDecoder.Decode(encoded, MaxPixels, what, new SKSizeI(spec.Width, spec.Height));
        using var augmented = Augment(bitmap, augmentation);
        ImagePreprocessor.WriteChw(augmented ?? bitmap, spec, destination);
    }

    /// <summary>Runs preprocessed images (batch × pixels) through the backbone; one unit vector per image.</summary>
    public float[][] Embed(float[] pixels, int count)
    {
        var spec = Backbone.Image;
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [count, spec.Channels, spec.Height, spec.Width]);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [Backbone.InputName], [input], [Backbone.OutputName]);
        var features = outputs[0].GetTensorDataAsSpan<float>();
        var result = new float[count][];
        for (var i = 0; i < count; i++)
        {
            result[i] = features.Slice(i * Backbone.Features, Backbone.Features).ToArray();
            VectorMath.L2Normalize(result[i]);
        }

        return result;
    }

    private static SKBitmap? Augment(SKBitmap image, ImageAugmentation augmentation)
    {
        if (augmentation == ImageAugmentation.None)
        {
            return null;
        }

        var target = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Bgra8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(target);
        canvas.Clear(SKColors.Black);
        using var snapshot = SKImage.FromBitmap(image);
        var sampling = new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None);
        if (augmentation == ImageAugmentation.Flip)
        {
            canvas.Scale(-1, 1, image.Width / 2f, 0);
            canvas.DrawImage(snapshot, 0, 0, sampling);
        }
        else
        {
            var (w, h) = (image.Width * CropShare, image.Height * CropShare);
            var source = SKRect.Create((image.Width - w) / 2, (image.Height - h) / 2, w, h);
            canvas.DrawImage(snapshot, source, new SKRect(0, 0, image.Width, image.Height), sampling);
        }

        canvas.Flush();
        return target;
    }

    public void Dispose() => _session.Dispose();
}

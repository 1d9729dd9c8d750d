namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// How an image becomes a model input: size, channels (1 = grey, 3 = RGB or BGR), and per-channel
/// <c>(pixel * scale - mean) / std</c>; <see cref="Invert"/> turns black-on-white drawings into MNIST's white-on-black.
/// </summary>
public sealed record ImageSpec
{
    public int Width { get; init; }

    public int Height { get; init; }

    public int Channels { get; init; } = 3;

    public float Scale { get; init; } = 1;

    public IReadOnlyList<float> Mean { get; init; } = [0];

    public IReadOnlyList<float> Std { get; init; } = [1];

    public bool Invert { get; init; }

    /// <summary>For 3 channels: channel order B, G, R (Caffe-style models such as the ResNet18 featurizer) instead of R, G, B.</summary>
    public bool Bgr { get; init; }

    /// <summary>The ResNet18 featurizer's input: 0-255 BGR minus the per-channel ImageNet mean (see README, "Task endpoints").</summary>
    public static ImageSpec ResNet18 { get; } = new()
    {
        Width = 224,
        Height = 224,
        Channels = 3,
        Scale = 1,
        Mean = [103.06f, 115.90f, 123.15f],
        Std = [1, 1, 1],
        Bgr = true,
    };

    /// <summary>A message naming the first problem, or null when the spec is usable.</summary>
    public string? Problem()
    {
        if (Width is < 1 or > 4096 || Height is < 1 or > 4096)
        {
            return $"image.width and image.height must be 1 to 4096, got {Width} x {Height}";
        }

        if (Channels is not (1 or 3))
        {
            return $"image.channels must be 1 or 3, got {Channels}";
        }

        if (Mean.Count is not 1 && Mean.Count != Channels)
        {
            return $"image.mean must have 1 or {Channels} values, got {Mean.Count}";
        }

        if (Std.Count is not 1 && Std.Count != Channels)
        {
            return $"image.std must have 1 or {Channels} values, got {Std.Count}";
        }

        return Std.Any(s => s == 0 || !float.IsFinite(s)) ? "image.std values must be finite and non-zero" : null;
    }
}

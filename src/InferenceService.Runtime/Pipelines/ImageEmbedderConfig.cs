namespace InferenceService.Runtime.Pipelines;

/// <summary>The <c>pipeline</c> section of an image feature extractor: how an image becomes its input.</summary>
public sealed record ImageEmbedderConfig
{
    public string Kind { get; init; } = string.Empty;

    public ImageSpec Image { get; init; } = new();
}

namespace InferenceService.Runtime.Pipelines;

/// <summary>The <c>pipeline</c> section of an image classifier: labels file (in the version folder) and preprocessing.</summary>
public sealed record ImageClassifierConfig
{
    public string Kind { get; init; } = string.Empty;

    public string Labels { get; init; } = "labels.txt";

    public ImageSpec Image { get; init; } = new();
}

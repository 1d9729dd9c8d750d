namespace InferenceService.Runtime.Pipelines;

/// <summary>The <c>pipeline</c> section of a classifier head over sentence embeddings.</summary>
public sealed record TextClassifierConfig
{
    public string Kind { get; init; } = string.Empty;

    /// <summary>The repository model that turns text into the head's input (mean-pooled, L2-normalised).</summary>
    public string EmbeddingModel { get; init; } = "minilm";

    public string Labels { get; init; } = "labels.txt";

    /// <summary>Tokens (with [CLS] and [SEP]) the head was trained on; longer texts are truncated.</summary>
    public int MaxTokens { get; init; } = 256;
}

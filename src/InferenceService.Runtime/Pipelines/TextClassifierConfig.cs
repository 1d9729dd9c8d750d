namespace InferenceService.Runtime.Pipelines;

/// <summary>The <c>pipeline</c> section of a classifier head over sentence embeddings.</summary>
public sealed record TextClassifierConfig
{
    public string Kind { get; init; } = string.Empty;

    /// <summary>The repository model that turns text into the head's input (mean-pooled, L2-normalised).</summary>
    public string EmbeddingModel { get; init; } = "minilm";

    /// <summary>
    /// The version of <see cref="EmbeddingModel"/> the head was trained on. Set: the head always calls that version and
    /// is unavailable while it is not served, so a newer backbone never feeds it. Null: the newest ready version.
    /// </summary>
    public long? EmbeddingModelVersion { get; init; }

    public string Labels { get; init; } = "labels.txt";

    /// <summary>Tokens (with [CLS] and [SEP]) the head was trained on; longer texts are truncated.</summary>
    public int MaxTokens { get; init; } = 256;
}

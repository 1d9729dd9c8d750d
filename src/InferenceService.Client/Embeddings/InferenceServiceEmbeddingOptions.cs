namespace InferenceService.Client;

/// <summary>Settings of an <see cref="InferenceServiceEmbeddingGenerator"/>.</summary>
public sealed class InferenceServiceEmbeddingOptions
{
    /// <summary>The model <c>/v1/text/embeddings</c> serves (the service's sentence embedder).</summary>
    public const string DefaultModelId = "minilm";

    /// <summary>The route's limit per request (the service's <c>Tasks:MaxTextsPerRequest</c> default).</summary>
    public const int DefaultMaxBatchSize = 32;

    /// <summary>
    /// The model expected to answer, reported in the generator's metadata. The route always embeds with the service's
    /// sentence embedder and names it in every response; a response from another model is refused, so a mismatch
    /// shows up at once instead of as vectors of a different space.
    /// </summary>
    public string ModelId { get; set; } = DefaultModelId;

    /// <summary>The embedding width, reported in the metadata and checked on every response (384 for MiniLM).</summary>
    public int Dimensions { get; set; } = 384;

    /// <summary>Texts per request: larger inputs are sent in order in chunks of this size (at most the service's limit).</summary>
    public int MaxBatchSize { get; set; } = DefaultMaxBatchSize;

    internal InferenceServiceEmbeddingOptions Validated()
    {
        ArgumentException.ThrowIfNullOrEmpty(ModelId);
        ArgumentOutOfRangeException.ThrowIfLessThan(Dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1);
        return new InferenceServiceEmbeddingOptions { ModelId = ModelId, Dimensions = Dimensions, MaxBatchSize = MaxBatchSize };
    }
}

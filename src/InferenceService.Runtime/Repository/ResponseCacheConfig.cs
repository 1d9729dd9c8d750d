namespace InferenceService.Runtime.Repository;

/// <summary>
/// A model's <c>response_cache</c> section (Triton's name): answers are kept in the service's shared response cache,
/// keyed by model, version, input bytes and requested outputs. Only for deterministic models.
/// </summary>
public sealed record ResponseCacheConfig
{
    public bool Enable { get; init; }

    /// <summary>Answers larger than this many bytes are not cached; 0: any answer that fits the cache.</summary>
    public long MaxEntryBytes { get; init; }
}

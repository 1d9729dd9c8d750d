namespace InferenceService.Runtime.Repository;

/// <summary>
/// A config.json as written, before the graph completes it: <paramref name="Config"/> holds the fields given (defaults
/// elsewhere); <paramref name="HasMaxBatchSize"/> tells an explicit 0 (never batch) from a missing field.
/// </summary>
public sealed record ModelConfigDraft(string Path, ModelConfig Config, bool HasMaxBatchSize);

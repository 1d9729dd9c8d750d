namespace InferenceService.Training.Publish;

/// <summary>Serve the latest N versions.</summary>
internal sealed record VersionPolicy(int Latest);

namespace InferenceService.Runtime.Repository;

/// <summary>One row of the repository index (Triton's: name, version, state, reason).</summary>
public sealed record ModelIndexEntry(string Name, string? Version, string State, string? Reason);

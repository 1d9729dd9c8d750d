namespace InferenceService.Runtime.Repository;

/// <summary>Where the repository is and where pretrained packages are found.</summary>
public sealed record ModelRepositorySettings(string Path, string? PackagesRoot = null);

namespace InferenceService.Runtime.Repository;

/// <summary>
/// Where the repository is and where pretrained packages are found; how configs are completed from the graph
/// (<paramref name="StrictConfig"/> turns completion off: every model then needs a complete config.json).
/// </summary>
public sealed record ModelRepositorySettings(string Path, string? PackagesRoot = null, int DefaultMaxBatchSize = GraphConfigCompleter.DefaultMaxBatchSize, bool StrictConfig = false);

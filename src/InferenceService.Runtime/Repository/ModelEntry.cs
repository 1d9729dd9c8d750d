namespace InferenceService.Runtime.Repository;

/// <summary>
/// An immutable snapshot of one model in the repository: the versions it serves, the candidates that failed, and
/// the folder fingerprint it was loaded from. Changes replace the whole entry atomically.
/// </summary>
public sealed class ModelEntry
{
    internal ModelEntry(string name, string directory, ModelConfig? config, IReadOnlyList<ModelVersion> versions, IReadOnlyList<ModelVersion> failed, string? fingerprint, string? unloadedReason = null)
    {
        Name = name;
        Directory = directory;
        Config = config;
        Versions = versions;
        Failed = failed;
        Fingerprint = fingerprint;
        UnloadedReason = unloadedReason;
    }

    public string Name { get; }

    public string Directory { get; }

    /// <summary>The config the served versions were loaded with (null when it never loaded).</summary>
    public ModelConfig? Config { get; }

    /// <summary>Served versions, newest first.</summary>
    public IReadOnlyList<ModelVersion> Versions { get; }

    /// <summary>Versions that were tried and failed; they never replaced a serving version.</summary>
    public IReadOnlyList<ModelVersion> Failed { get; }

    internal string? Fingerprint { get; }

    /// <summary>Set when the model was unloaded (or its folder removed).</summary>
    public string? UnloadedReason { get; }

    public bool IsUnloaded => UnloadedReason is not null;

    /// <summary>The version a request without one goes to: the newest ready one; else the newest that failed (to report why).</summary>
    public ModelVersion? Default => Versions.FirstOrDefault(v => v.State == ModelState.Ready) ?? Versions.FirstOrDefault() ?? Failed.OrderByDescending(v => v.Version).FirstOrDefault();

    /// <summary>A given version, served or failed.</summary>
    public ModelVersion? Get(long version) => Versions.FirstOrDefault(v => v.Version == version) ?? Failed.FirstOrDefault(v => v.Version == version);
}

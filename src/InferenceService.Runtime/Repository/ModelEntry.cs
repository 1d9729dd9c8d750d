namespace InferenceService.Runtime.Repository;

/// <summary>A model folder of the repository and the versions its policy serves.</summary>
public sealed class ModelEntry
{
    internal ModelEntry(string name, string directory, ModelConfig config, IReadOnlyList<ModelVersion> versions)
    {
        Name = name;
        Directory = directory;
        Config = config;
        Versions = versions;
    }

    public string Name { get; }

    public string Directory { get; }

    public ModelConfig Config { get; }

    /// <summary>Served versions, newest first.</summary>
    public IReadOnlyList<ModelVersion> Versions { get; }

    /// <summary>The version a request without one goes to: the newest ready one.</summary>
    public ModelVersion? Default => Versions.FirstOrDefault(v => v.State == ModelState.Ready) ?? Versions.FirstOrDefault();
}

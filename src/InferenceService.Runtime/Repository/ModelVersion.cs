using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using InferenceService.Runtime.Sessions;
using InferenceService.Runtime.Telemetry;

namespace InferenceService.Runtime.Repository;

/// <summary>
/// One loaded (or failed) version of a model: its sessions and the runner in front of them. Requests hold a lease
/// while they use it; a retired version is disposed when its last lease ends, so in-flight and queued requests
/// finish on the version they started on.
/// </summary>
public sealed class ModelVersion : IAsyncDisposable
{
    // Leases in use; int.MinValue once disposal has begun (no lease can be taken after that).
    private int _leases;
    private int _retired;
    private int _disposed;

    internal ModelVersion(string name, long version, ModelConfig config, string directory)
    {
        Name = name;
        Version = version;
        Config = config;
        Directory = directory;
    }

    public string Name { get; }

    public long Version { get; }

    /// <summary>The model's config with this version's own <c>pipeline.json</c> merged in (once the loader has read it).</summary>
    public ModelConfig Config { get; private set; }

    public string Directory { get; }

    /// <summary>What the version's ONNX file says about itself (producer, opset, ...); null under StrictConfig.</summary>
    public OnnxGraphInfo? Graph { get; init; }

    public ModelState State { get; private set; } = ModelState.Loading;

    /// <summary>Why the version is unavailable, when it is.</summary>
    public string? Reason { get; private set; }

    public SessionPool? Pool { get; private set; }

    public IModelRunner? Runner { get; private set; }

    /// <summary>The task pipeline built from the version's settings at load, when its config names one.</summary>
    public ITaskPipeline? Pipeline { get; private set; }

    /// <summary>What a request to this version is told while it is not ready.</summary>
    public string NotReadyMessage => $"Model '{Name}' version {Version} is not ready: {State}{(Reason is null ? string.Empty : " (" + Reason + ")")}.";

    public string ExecutionProvider => Pool?.ExecutionProvider ?? "none";

    /// <summary>Requests currently holding the version.</summary>
    public int ActiveLeases => Math.Max(0, Volatile.Read(ref _leases));

    /// <summary>The version's instruments, once it is ready (null for a runner built without them).</summary>
    public ModelMetrics? Metrics { get; private set; }

    /// <summary>The values its integer inputs may hold, checked before a request is batched.</summary>
    public ValueRanges InputRanges { get; private set; } = ValueRanges.None;

    /// <summary>Set by the loader from the version's own settings before anything is built from them; never after the version is ready.</summary>
    internal void UseConfig(ModelConfig config) => Config = config;

    internal void MarkReady(SessionPool pool, IModelRunner runner, VersionServices? services = null)
    {
        Metrics = services?.Metrics;
        InputRanges = services?.InputRanges ?? ValueRanges.None;
        Pipeline = services?.Pipeline;
        Pool = pool;
        Runner = runner;
        State = ModelState.Ready;
    }

    internal void MarkUnavailable(string reason)
    {
        Reason = reason;
        State = ModelState.Unavailable;
    }

    /// <summary>Takes a lease unless disposal has begun.</summary>
    internal bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _leases);
            if (current < 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _leases, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0 && Volatile.Read(ref _retired) != 0)
        {
            TryBeginDispose();
        }
    }

    /// <summary>No longer served: dispose as soon as no request holds it (now, if none does).</summary>
    internal void Retire(string reason)
    {
        if (State == ModelState.Ready)
        {
            MarkUnavailable(reason);
        }

        Volatile.Write(ref _retired, 1);
        TryBeginDispose();
    }

    private void TryBeginDispose()
    {
        if (Interlocked.CompareExchange(ref _leases, int.MinValue, 0) == 0)
        {
            _ = Task.Run(async () => await DisposeResourcesAsync().ConfigureAwait(false));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _leases, int.MinValue);
        await DisposeResourcesAsync().ConfigureAwait(false);
    }

    private async Task DisposeResourcesAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (Runner is not null)
        {
            await Runner.DisposeAsync().ConfigureAwait(false);
        }

        Pool?.Dispose();
    }
}

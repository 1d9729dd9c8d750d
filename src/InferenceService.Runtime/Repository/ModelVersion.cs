using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Sessions;

namespace InferenceService.Runtime.Repository;

/// <summary>One loaded (or failed) version of a model: its sessions and the runner in front of them.</summary>
public sealed class ModelVersion : IAsyncDisposable
{
    internal ModelVersion(string name, long version, ModelConfig config, string directory)
    {
        Name = name;
        Version = version;
        Config = config;
        Directory = directory;
    }

    public string Name { get; }

    public long Version { get; }

    public ModelConfig Config { get; }

    public string Directory { get; }

    public ModelState State { get; private set; } = ModelState.Loading;

    /// <summary>Why the version is unavailable, when it is.</summary>
    public string? Reason { get; private set; }

    public SessionPool? Pool { get; private set; }

    public IModelRunner? Runner { get; private set; }

    public string ExecutionProvider => Pool?.ExecutionProvider ?? "none";

    internal void MarkReady(SessionPool pool, IModelRunner runner)
    {
        Pool = pool;
        Runner = runner;
        State = ModelState.Ready;
    }

    internal void MarkUnavailable(string reason)
    {
        Reason = reason;
        State = ModelState.Unavailable;
    }

    public async ValueTask DisposeAsync()
    {
        if (Runner is not null)
        {
            await Runner.DisposeAsync().ConfigureAwait(false);
        }

        Pool?.Dispose();
    }
}

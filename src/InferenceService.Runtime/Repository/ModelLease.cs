namespace InferenceService.Runtime.Repository;

/// <summary>A request's hold on a model version: the version is not disposed until every lease is.</summary>
public sealed class ModelLease : IDisposable
{
    private ModelVersion? _version;

    internal ModelLease(ModelVersion version) => _version = version;

    public ModelVersion Version => _version ?? throw new ObjectDisposedException(nameof(ModelLease));

    public void Dispose() => Interlocked.Exchange(ref _version, null)?.Release();
}

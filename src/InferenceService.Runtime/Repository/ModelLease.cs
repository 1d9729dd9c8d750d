namespace InferenceService.Runtime.Repository;

/// <summary>A request's hold on a model version: the version is not disposed until every lease is.</summary>
public sealed class ModelLease : IDisposable
{
    private readonly ModelRegistry _registry;
    private ModelVersion? _version;

    internal ModelLease(ModelVersion version, ModelRegistry registry)
    {
        _version = version;
        _registry = registry;
    }

    public ModelVersion Version => _version ?? throw new ObjectDisposedException(nameof(ModelLease));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _version, null) is { } version)
        {
            version.Release();
            _registry.LeaseEnded();
        }
    }
}

using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Inference;

/// <summary>
/// An admitted request: a lease on the model version it will run on, held until disposed, so a hot swap retires
/// that version only after the request is done. Front doors read the version's config to decode their body.
/// </summary>
public sealed class InferenceTicket : IDisposable
{
    private readonly ModelLease _lease;

    internal InferenceTicket(ModelLease lease, RequestParameters parameters)
    {
        _lease = lease;
        Model = lease.Version;
        Parameters = parameters;
    }

    public ModelVersion Model { get; }

    internal RequestParameters Parameters { get; }

    public void Dispose() => _lease.Dispose();
}

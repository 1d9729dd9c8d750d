using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Inference;

/// <summary>
/// The one request path every front door uses (V2 REST and binary, gRPC, task endpoints): <see cref="Admit"/> before
/// any body is read, then <see cref="SubmitAsync"/> with the decoded inputs. Both answer with this request's outputs or
/// an <see cref="InferenceException"/> whose kind each API family maps to its own error shape.
/// </summary>
public sealed class InferenceGateway(ModelRegistry registry)
{
    public ModelRegistry Registry => registry;

    /// <summary>
    /// Resolves and leases the version, or refuses at once: bad version or parameters (400), unknown model (404),
    /// not ready, shutting down, being swapped, its queue full or its expected wait beyond the timeout (503).
    /// </summary>
    public InferenceTicket Admit(AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!VersionNumber.TryParse(request.Version, out var version, out var versionError))
        {
            throw InferenceException.BadRequest(versionError!);
        }

        var lease = registry.Acquire(request.Model, version, out var lookup, out var error);
        if (lease is null)
        {
            throw lookup == ModelLookup.NotFound
                ? new InferenceException(InferenceErrorKind.NotFound, error!)
                : new InferenceException(InferenceErrorKind.Unavailable, error!) { RetryAfterSeconds = 1 };
        }

        try
        {
            // Checked here too, so a request whose parameters are already known is refused before its body is read.
            var (_, timeout) = request.Parameters.Resolve(request.Model, lease.Version.Config);
            if ((lease.Version.Runner as IAdmissionCheck)?.CheckAdmission(timeout, lease.Version.ActiveLeases - 1) is { } refusal)
            {
                lease.Version.Metrics?.Failure(refusal);
                throw refusal;
            }

            return new InferenceTicket(lease, request.Parameters);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Validates the inputs against the admitted version's config, then runs them (cache, breaker, batcher, pool).
    /// A refusal here is counted against the version as Triton counts it; what the runner does it counts itself.
    /// </summary>
    public async Task<IReadOnlyList<Tensor>> SubmitAsync(InferenceTicket ticket, InferenceInputs inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(inputs);
        var model = ticket.Model;
        InferenceRequest request;
        try
        {
            var (priority, timeout) = (inputs.Parameters ?? ticket.Parameters).Resolve(model.Name, model.Config);
            request = RequestValidator.Validate(model.Name, model.Config, inputs.Inputs, inputs.Outputs, priority, timeout, model.InputRanges);
            if (inputs.Group is { } group)
            {
                request = request with { Group = group };
            }
        }
        catch (InferenceException e)
        {
            model.Metrics?.Failure(e);
            throw;
        }

        return await model.Runner!.InferAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

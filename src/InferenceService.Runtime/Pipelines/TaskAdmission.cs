using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Pipelines;

/// <summary>Admission for task endpoints: the named model must be served with a pipeline of the endpoint's kind.</summary>
public static class TaskAdmission
{
    /// <summary>
    /// A ticket on the newest ready version of <paramref name="model"/> (or <paramref name="version"/>) and its
    /// pipeline. 404 (listing the models that fit) when the repository lacks the model or its pipeline is of another
    /// kind; 503 while it is not ready. A named version that is not served is the gateway's 404 for that version.
    /// </summary>
    public static InferenceTicket AdmitPipeline<T>(this InferenceGateway gateway, string model, string kind, out T pipeline, string? version = null)
        where T : class, ITaskPipeline
    {
        ArgumentNullException.ThrowIfNull(gateway);
        InferenceTicket ticket;
        try
        {
            ticket = gateway.Admit(new AdmissionRequest(model, version));
        }
        catch (InferenceException e) when (e.Kind == InferenceErrorKind.NotFound && version is null)
        {
            throw NotServing(gateway.Registry, $"Unknown model '{model}'.", kind);
        }

        if (ticket.Model.Pipeline is T typed && typed.Kind == kind)
        {
            pipeline = typed;
            return ticket;
        }

        ticket.Dispose();
        throw NotServing(gateway.Registry, $"Model '{model}' does not serve this endpoint: its config.json has no pipeline of kind '{kind}'.", kind);
    }

    private static PipelineException NotServing(ModelRegistry registry, string problem, string kind)
    {
        var fitting = registry.Models.Values
            .Where(m => m.Versions.Any(v => v.Pipeline?.Kind == kind))
            .Select(m => m.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
        var available = fitting.Count == 0 ? "none is loaded" : "available: " + string.Join(", ", fitting);
        return PipelineException.NotFound($"{problem} Models with pipeline kind '{kind}': {available}.");
    }
}

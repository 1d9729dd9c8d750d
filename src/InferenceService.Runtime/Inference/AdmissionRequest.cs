namespace InferenceService.Runtime.Inference;

/// <summary>What a front door knows before it reads a body: the model, the version as the client wrote it, and any parameters it already has.</summary>
/// <param name="Version">Null or empty = the newest ready version; otherwise an integer >= 1.</param>
public sealed record AdmissionRequest(string Model, string? Version = null)
{
    public RequestParameters Parameters { get; init; }
}

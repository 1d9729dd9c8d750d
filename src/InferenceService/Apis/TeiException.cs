namespace InferenceService.Apis;

/// <summary>A refusal of the TEI-compatible routes with TEI's status and error type.</summary>
internal sealed class TeiException(int status, string errorType, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string ErrorType { get; } = errorType;
}

namespace InferenceService.Apis;

/// <summary>A refusal of the OpenAI-compatible routes with OpenAI's status, <c>param</c> and <c>code</c>.</summary>
internal sealed class OpenAIException(int status, string message, string? param = null, string? code = null) : Exception(message)
{
    public int Status { get; } = status;

    public string? Param { get; } = param;

    public string? Code { get; } = code;
}

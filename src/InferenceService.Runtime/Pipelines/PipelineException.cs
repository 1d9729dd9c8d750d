namespace InferenceService.Runtime.Pipelines;

/// <summary>A refusal from pre- or post-processing whose message is meant for the client (it states the limit or the fix).</summary>
public sealed class PipelineException : Exception
{
    public PipelineException(PipelineErrorKind kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    public PipelineException()
    {
    }

    public PipelineException(string message)
        : base(message)
    {
    }

    public PipelineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PipelineErrorKind Kind { get; } = PipelineErrorKind.BadRequest;

    public static PipelineException BadRequest(string message) => new(PipelineErrorKind.BadRequest, message);

    public static PipelineException NotFound(string message) => new(PipelineErrorKind.NotFound, message);
}

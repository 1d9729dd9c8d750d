namespace InferenceService.Runtime.Inference;

/// <summary>A failure that carries what the client should be told; the HTTP layer maps <see cref="Kind"/> to a status.</summary>
public sealed class InferenceException : Exception
{
    public InferenceException(InferenceErrorKind kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    public InferenceException()
    {
    }

    public InferenceException(string message)
        : base(message)
    {
    }

    public InferenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InferenceErrorKind Kind { get; } = InferenceErrorKind.Backend;

    /// <summary>The request's own data caused the failure (its batch-mates ran): not a sign the model is unhealthy.</summary>
    public bool CausedByRequest { get; init; }

    /// <summary>Seconds the client may wait before retrying (queue full), if any.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static InferenceException BadRequest(string message) => new(InferenceErrorKind.BadRequest, message);
}

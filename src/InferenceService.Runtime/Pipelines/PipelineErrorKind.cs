namespace InferenceService.Runtime.Pipelines;

/// <summary>Why pre- or post-processing refused a request; the HTTP layer maps each kind to a status.</summary>
public enum PipelineErrorKind
{
    /// <summary>The input is malformed or breaks a count limit (HTTP 400).</summary>
    BadRequest,

    /// <summary>The input is bigger than a size limit: body bytes or declared pixels (HTTP 413).</summary>
    TooLarge,

    /// <summary>The content type is not one the endpoint reads (HTTP 415).</summary>
    UnsupportedMediaType,

    /// <summary>No such model for this task, or no such user or item (HTTP 404).</summary>
    NotFound,

    /// <summary>The model's <c>pipeline</c> section or its side files are wrong: the operator's fault, not the client's (HTTP 500).</summary>
    Misconfigured,
}

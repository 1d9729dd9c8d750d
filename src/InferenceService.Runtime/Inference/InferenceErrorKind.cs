namespace InferenceService.Runtime.Inference;

public enum InferenceErrorKind
{
    /// <summary>The request does not fit the model (HTTP 400).</summary>
    BadRequest,

    /// <summary>No such model or version (HTTP 404).</summary>
    NotFound,

    /// <summary>The model exists but is not ready, or its queue is full (HTTP 503).</summary>
    Unavailable,

    /// <summary>The request's time ran out while it was queued (HTTP 504).</summary>
    Timeout,

    /// <summary>The engine failed while running the batch (HTTP 500).</summary>
    Backend,
}

using InferenceService.Runtime.Inference;

namespace InferenceService.Runtime.Batching;

/// <summary>What the batcher tells clients; the HTTP layer maps the kinds to 503, 504 and 500.</summary>
internal static class BatcherErrors
{
    /// <summary>Sent with queue-full rejections: the queue turns over in well under a second when the model keeps up.</summary>
    public const int RetryAfterSeconds = 1;

    public static InferenceException QueueFull(string model, int capacity) =>
        new(InferenceErrorKind.Unavailable, $"model '{model}': the queue is full ({capacity} requests, max_queue_size); retry later.")
        {
            RetryAfterSeconds = RetryAfterSeconds,
        };

    public static InferenceException ExpectedWait(string model, TimeSpan wait, TimeSpan timeout) =>
        new(InferenceErrorKind.Unavailable, $"model '{model}': an answer would take about {wait.TotalMilliseconds:F0} ms with the requests ahead, beyond this request's timeout of {timeout.TotalMilliseconds:F0} ms; retry later.")
        {
            RetryAfterSeconds = Math.Max(RetryAfterSeconds, (int)Math.Ceiling((wait - timeout).TotalSeconds)),
        };

    public static InferenceException Unloading(string model) =>
        new(InferenceErrorKind.Unavailable, $"model '{model}' is unloading; it takes no more requests.");

    public static InferenceException TimedOut(string model, TimeSpan timeout) =>
        new(InferenceErrorKind.Timeout, $"model '{model}': the request timed out after {timeout.TotalMilliseconds} ms in the queue before a batch could take it.");

    /// <summary>The queue timeout answered early: the batch the request would join now would end after its deadline.</summary>
    public static InferenceException DeadlineUnmeetable(string model, TimeSpan timeout, TimeSpan waited, TimeSpan batch) =>
        new(InferenceErrorKind.Timeout, $"model '{model}': the request waited {waited.TotalMilliseconds:F0} ms in the queue; a batch takes about {batch.TotalMilliseconds:F0} ms, so it could not finish within the request's timeout of {timeout.TotalMilliseconds:F0} ms; refused before running it.");

    /// <summary>
    /// A request that still failed when run without its batch-mates. When some of them were answered, the failure is
    /// this request's own (its data), so it never counts against the model's circuit breaker.
    /// </summary>
    public static InferenceException Culprit(string model, InferenceException error, bool othersAnswered) =>
        new(error.Kind, othersAnswered ? $"model '{model}': this request fails on its own (the requests batched with it were answered): {error.Message}" : error.Message, error)
        {
            CausedByRequest = othersAnswered,
        };

    /// <summary>A fresh exception per member: they are awaited independently, and one instance rethrown from many tasks garbles its trace.</summary>
    public static InferenceException BatchFailed(string model, Exception error) => error is InferenceException inference
        ? new InferenceException(inference.Kind, inference.Message, inference)
        : new InferenceException(InferenceErrorKind.Backend, $"model '{model}' failed: {error.Message}", error);
}

namespace InferenceService.Bench;

/// <summary>One wrk run against the service, with what the model's statistics say about the same interval.</summary>
internal sealed record LoadPoint(
    string Scenario,
    int Concurrency,
    double RequestsPerSecond,
    double P50Ms,
    double P99Ms,
    long Requests,
    long Non2xx,
    long SocketErrors,
    ServerSide? Server);

/// <summary>Means per request from <c>/v2/models/{name}/stats</c> deltas (µs), and the mean batch size.</summary>
internal sealed record ServerSide(double SuccessUs, double QueueUs, double ComputeInferUs, double AverageBatch)
{
    /// <summary>The definition: server-side request time − compute time.</summary>
    public double OverheadUs => SuccessUs - ComputeInferUs;

    /// <summary>The same without the batcher's queue wait (its max_queue_delay is a chosen cost, not overhead).</summary>
    public double OverheadWithoutQueueUs => SuccessUs - QueueUs - ComputeInferUs;
}

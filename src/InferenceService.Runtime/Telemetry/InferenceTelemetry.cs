using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace InferenceService.Runtime.Telemetry;

/// <summary>
/// The service's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, created once for the process; the host
/// subscribes to them by name. Instrument names, units and meanings follow Triton's metrics (see README, Observability).
/// </summary>
public static class InferenceTelemetry
{
    public const string SourceName = "InferenceService";
    public const string MeterName = "InferenceService";

    public const string ModelTag = "model";
    public const string VersionTag = "version";
    public const string ReasonTag = "reason";

    public const string PreprocessSpan = "preprocess";
    public const string PostprocessSpan = "postprocess";

    /// <summary>A task endpoint's pre- or post-processing span (decode, tokenise, pool, rank), tagged with its model.</summary>
    public static Activity? StartStage(string span, string model) =>
        Source.StartActivity(span)?.SetTag("inference.model", model);

    /// <summary>Durations are seconds; buckets from 0.5 ms to 10 s suit both a tiny model and a queued ResNet batch.</summary>
    private static readonly InstrumentAdvice<double> SecondsAdvice = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    public static readonly ActivitySource Source = new(SourceName);
    internal static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> RequestSuccess = Meter.CreateCounter<long>(
        "inference_request_success", "{request}", "Inference requests answered successfully (cache hits included).");

    internal static readonly Counter<long> RequestFailure = Meter.CreateCounter<long>(
        "inference_request_failure", "{request}", "Inference requests that failed, by reason: rejected, timeout, canceled, backend, bad_request.");

    internal static readonly Counter<long> InferenceCount = Meter.CreateCounter<long>(
        "inference_count", "{item}", "Inferences performed: a request of batch size n counts n (cache hits excluded).");

    internal static readonly Counter<long> ExecutionCount = Meter.CreateCounter<long>(
        "inference_exec_count", "{batch}", "Model executions (batches run by ONNX Runtime).");

    internal static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        "inference_request_duration", "s", "End-to-end time of successful requests inside the runner (queue + compute, or a cache lookup).", tags: null, advice: SecondsAdvice);

    internal static readonly Histogram<double> QueueDuration = Meter.CreateHistogram<double>(
        "inference_queue_duration", "s", "Time successful requests waited in the batcher's queue.", tags: null, advice: SecondsAdvice);

    internal static readonly Histogram<double> ComputeInputDuration = Meter.CreateHistogram<double>(
        "inference_compute_input_duration", "s", "Per batch: assembling the inputs (concatenating and padding requests).", tags: null, advice: SecondsAdvice);

    internal static readonly Histogram<double> ComputeInferDuration = Meter.CreateHistogram<double>(
        "inference_compute_infer_duration", "s", "Per batch: running the model (including the wait for a free instance).", tags: null, advice: SecondsAdvice);

    internal static readonly Histogram<double> ComputeOutputDuration = Meter.CreateHistogram<double>(
        "inference_compute_output_duration", "s", "Per batch: splitting the outputs back to the requests.", tags: null, advice: SecondsAdvice);

    internal static readonly Histogram<long> BatchSize = Meter.CreateHistogram<long>(
        "inference_batch_size", "{item}", "Items per executed batch.", tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    internal static readonly Counter<long> CacheHits = Meter.CreateCounter<long>(
        "inference_cache_hits", "{request}", "Response cache lookups that found the answer.");

    internal static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>(
        "inference_cache_misses", "{request}", "Response cache lookups that did not (the request then runs the model).");

    /// <summary>Queue depth per model: the autoscaling signal (deploy/k8s/hpa.yaml). Kept as this exact name, label model only.</summary>
    internal static readonly ObservableGauge<long> PendingRequests = Meter.CreateObservableGauge(
        "inference_pending_requests", PendingQueues.Observe, unit: null, description: "Requests admitted to a model's queue and not yet in a batch (summed over its versions).");

    /// <summary>The label set of one model version.</summary>
    internal static TagList Tags(string model, long version) => new() { { ModelTag, model }, { VersionTag, version } };

    /// <summary>Triton's failure reasons, from what the runner threw.</summary>
    public static string ReasonOf(Exception error) => error switch
    {
        Inference.InferenceException { Kind: Inference.InferenceErrorKind.BadRequest } => "bad_request",
        Inference.InferenceException { Kind: Inference.InferenceErrorKind.Unavailable or Inference.InferenceErrorKind.NotFound } => "rejected",
        Inference.InferenceException { Kind: Inference.InferenceErrorKind.Timeout } => "timeout",
        OperationCanceledException => "canceled",
        _ => "backend",
    };

    /// <summary>A failure that never reached a runner (the request did not fit the model).</summary>
    public static void RecordFailure(string model, long version, string reason)
    {
        var tags = Tags(model, version);
        tags.Add(ReasonTag, reason);
        RequestFailure.Add(1, tags);
    }
}

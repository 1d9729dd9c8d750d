using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Telemetry;

/// <summary>
/// The service's instruments, on a <see cref="Meter"/> from the host's <see cref="IMeterFactory"/>. Names, units and
/// meanings follow Triton's metrics (see README, Observability). The queue-depth gauge reads the registry it serves.
/// </summary>
public sealed class InferenceMeters
{
    /// <summary>Durations are seconds; buckets from 0.5 ms to 10 s suit both a tiny model and a queued ResNet batch.</summary>
    private static readonly InstrumentAdvice<double> SecondsAdvice = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private readonly ConcurrentDictionary<(string Model, long Version), RequestCounts> _counts = new();

    public InferenceMeters(IMeterFactory meterFactory, ModelRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(registry);
        Meter = meterFactory.Create(InferenceTelemetry.MeterName);
        // The per-request counters are observed from RequestCounts (see there); failures, rare and labelled by reason, are measured.
        Counted("inference_request_success", "{request}", "Inference requests answered successfully (cache hits included).", static c => Volatile.Read(ref c.Success));
        RequestFailure = Meter.CreateCounter<long>("inference_request_failure", "{request}", "Inference requests that failed, by reason: rejected, timeout, canceled, backend, bad_request.");
        Counted("inference_count", "{item}", "Inferences performed: a request of batch size n counts n (cache hits excluded).", static c => Volatile.Read(ref c.Inferences));
        Counted("inference_exec_count", "{batch}", "Model executions (batches run by ONNX Runtime).", static c => Volatile.Read(ref c.Executions));
        RequestDuration = Meter.CreateHistogram("inference_request_duration", "s", "End-to-end time of successful requests inside the runner (queue + compute, or a cache lookup).", tags: null, advice: SecondsAdvice);
        QueueDuration = Meter.CreateHistogram("inference_queue_duration", "s", "Time successful requests waited in the batcher's queue.", tags: null, advice: SecondsAdvice);
        ComputeInputDuration = Meter.CreateHistogram("inference_compute_input_duration", "s", "Per batch: assembling the inputs (concatenating and padding requests).", tags: null, advice: SecondsAdvice);
        ComputeInferDuration = Meter.CreateHistogram("inference_compute_infer_duration", "s", "Per batch: running the model (including the wait for a free instance).", tags: null, advice: SecondsAdvice);
        ComputeOutputDuration = Meter.CreateHistogram("inference_compute_output_duration", "s", "Per batch: splitting the outputs back to the requests.", tags: null, advice: SecondsAdvice);
        BatchSize = Meter.CreateHistogram("inference_batch_size", "{item}", "Items per executed batch.", tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        Counted("inference_cache_hits", "{request}", "Response cache lookups that found the answer.", static c => Volatile.Read(ref c.CacheHits));
        Counted("inference_cache_misses", "{request}", "Response cache lookups that did not (the request then runs the model).", static c => Volatile.Read(ref c.CacheMisses));

        // The autoscaling signal (deploy/kustomize/base/scaledobject.yaml): kept as this exact name, label model only.
        Meter.CreateObservableGauge(
            "inference_pending_requests",
            () => PendingRequests(registry),
            unit: null,
            description: "Requests admitted to a model's queue and not yet in a batch (summed over its versions).");

        // Dropped by a view when Metrics:TritonNames is false (the host's Observability).
        TritonMetrics.Register(Meter, registry);
    }

    public Meter Meter { get; }

    internal Counter<long> RequestFailure { get; }

    internal Histogram<double> RequestDuration { get; }

    internal Histogram<double> QueueDuration { get; }

    internal Histogram<double> ComputeInputDuration { get; }

    internal Histogram<double> ComputeInferDuration { get; }

    internal Histogram<double> ComputeOutputDuration { get; }

    internal Histogram<long> BatchSize { get; }

    /// <summary>The counts of one model version, the same object for every load of it (a reload continues its series).</summary>
    internal RequestCounts Counts(string model, long version) =>
        _counts.GetOrAdd((model, version), static key => new RequestCounts(key.Model, key.Version));

    /// <summary>The label set of one model version.</summary>
    internal static TagList Tags(string model, object version) => new() { { InferenceTelemetry.ModelTag, model }, { InferenceTelemetry.VersionTag, version } };

    private void Counted(string name, string unit, string description, Func<RequestCounts, long> value) =>
        Meter.CreateObservableCounter(name, () =>
        {
            var measurements = new List<Measurement<long>>();
            foreach (var counts in _counts.Values)
            {
                counts.Observe(measurements, value(counts));
            }

            return measurements;
        }, unit, description);

    private static List<Measurement<long>> PendingRequests(ModelRegistry registry) =>
        registry.Models.Values
            .Select(m => new Measurement<long>(
                m.Versions.Sum(v => (long)((v.Runner as IModelStatistics)?.QueueDepth ?? 0)),
                new KeyValuePair<string, object?>(InferenceTelemetry.ModelTag, m.Name)))
            .ToList();
}

using System.Diagnostics.Metrics;
using System.Globalization;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Telemetry;

/// <summary>
/// Triton's metric names (<c>nv_inference_*</c>, labels <c>model</c> and <c>version</c>) beside ours, so Triton's
/// dashboards work unchanged. Each reads the same per-version statistics as GET /v2/models/{m}/stats, so the two
/// cannot disagree; durations are cumulative microseconds, as Triton's.
/// Triton's cumulative values are counters named without <c>_total</c>; the Prometheus exporter appends <c>_total</c>
/// to every OpenTelemetry counter (in both text formats), so they are observable gauges, which keep their names.
/// PromQL's rate() and increase() read them as they read Triton's counters.
/// </summary>
public static class TritonMetrics
{
    /// <summary>What every Triton metric name starts with (the host drops them by it when asked).</summary>
    public const string Prefix = "nv_";

    internal static void Register(Meter meter, ModelRegistry registry)
    {
        Cumulative(meter, registry, "nv_inference_request_success", "Requests answered successfully (cache hits included).", s => s.Success.Count);
        Cumulative(meter, registry, "nv_inference_request_failure", "Requests that failed, for any reason.", s => s.Fail.Count);
        Cumulative(meter, registry, "nv_inference_count", "Inferences performed: a request of batch size n counts n (cache hits excluded).", s => s.InferenceCount);
        Cumulative(meter, registry, "nv_inference_exec_count", "Model executions (batches run).", s => s.ExecutionCount);
        Cumulative(meter, registry, "nv_inference_request_duration_us", "Microseconds, summed, of successful requests from arrival to answer.", s => Microseconds(s.Success));
        Cumulative(meter, registry, "nv_inference_queue_duration_us", "Microseconds, summed, successful requests waited in the queue.", s => Microseconds(s.Queue));
        Cumulative(meter, registry, "nv_inference_compute_input_duration_us", "Microseconds, summed, successful requests spent assembling their batch inputs.", s => Microseconds(s.ComputeInput));
        Cumulative(meter, registry, "nv_inference_compute_infer_duration_us", "Microseconds, summed, successful requests spent in the model.", s => Microseconds(s.ComputeInfer));
        Cumulative(meter, registry, "nv_inference_compute_output_duration_us", "Microseconds, summed, successful requests spent splitting their outputs.", s => Microseconds(s.ComputeOutput));
        meter.CreateObservableGauge(
            "nv_inference_pending_request_count",
            () => PerVersion(registry, v => v.QueueDepth),
            unit: null,
            description: "Requests admitted to the version's queue and not yet in a batch, now.");
    }

    private static void Cumulative(Meter meter, ModelRegistry registry, string name, string description, Func<ModelStatisticsSnapshot, long> value) =>
        meter.CreateObservableGauge(name, () => PerVersion(registry, v => value(v.GetStatistics())), unit: null, description: description);

    /// <summary>One measurement per served version, the versions the statistics route lists.</summary>
    private static List<Measurement<long>> PerVersion(ModelRegistry registry, Func<IModelStatistics, long> value) =>
        registry.Models.Values
            .SelectMany(m => m.Versions)
            .Select(v => (Version: v, Statistics: v.Runner as IModelStatistics))
            .Where(x => x.Statistics is not null)
            .Select(x => new Measurement<long>(
                value(x.Statistics!),
                new KeyValuePair<string, object?>(InferenceTelemetry.ModelTag, x.Version.Name),
                new KeyValuePair<string, object?>(InferenceTelemetry.VersionTag, x.Version.Version.ToString(CultureInfo.InvariantCulture))))
            .ToList();

    /// <summary>Triton reports whole microseconds.</summary>
    private static long Microseconds(StatisticsDuration duration) => duration.Ns / 1000;
}

using System.Diagnostics;

namespace InferenceService.Runtime.Telemetry;

/// <summary>The metric instruments of one model version, with its labels bound once.</summary>
public sealed class ModelMetrics(InferenceMeters meters, string model, long version, string executionProvider)
{
    public string Model => model;

    public long Version => version;

    /// <summary>Written on batch spans.</summary>
    public string ExecutionProvider => executionProvider;

    // The version boxed once, not on each of a request's eight measurements.
    private readonly object _version = version;

    private TagList Tags => InferenceMeters.Tags(model, _version);

    internal void Success(double seconds)
    {
        var tags = Tags;
        meters.RequestSuccess.Add(1, tags);
        meters.RequestDuration.Record(seconds, tags);
    }

    internal void Failure(Exception error)
    {
        var tags = Tags;
        tags.Add(InferenceTelemetry.ReasonTag, InferenceTelemetry.ReasonOf(error));
        meters.RequestFailure.Add(1, tags);
    }

    internal void Execution(long items)
    {
        var tags = Tags;
        meters.ExecutionCount.Add(1, tags);
        meters.InferenceCount.Add(items, tags);
        meters.BatchSize.Record(items, tags);
    }

    internal void Compute(double input, double infer, double output)
    {
        var tags = Tags;
        meters.ComputeInputDuration.Record(input, tags);
        meters.ComputeInferDuration.Record(infer, tags);
        meters.ComputeOutputDuration.Record(output, tags);
    }

    internal void Queue(double seconds) => meters.QueueDuration.Record(seconds, Tags);

    internal void Cache(bool hit) => (hit ? meters.CacheHits : meters.CacheMisses).Add(1, Tags);
}

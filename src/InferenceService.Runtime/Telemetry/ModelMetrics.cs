using System.Diagnostics;

namespace InferenceService.Runtime.Telemetry;

/// <summary>The metric instruments of one model version, with its labels bound once.</summary>
public sealed class ModelMetrics(InferenceMeters meters, string model, long version, string executionProvider)
{
    public string Model => model;

    public long Version => version;

    /// <summary>Written on batch spans.</summary>
    public string ExecutionProvider => executionProvider;

    // The version boxed once, not on each of a request's measurements.
    private readonly object _version = version;

    private readonly RequestCounts _counts = meters.Counts(model, version);

    private TagList Tags => InferenceMeters.Tags(model, _version);

    internal void Success(double seconds)
    {
        Interlocked.Increment(ref _counts.Success);
        meters.RequestDuration.Record(seconds, Tags);
    }

    internal void Failure(Exception error)
    {
        var tags = Tags;
        tags.Add(InferenceTelemetry.ReasonTag, InferenceTelemetry.ReasonOf(error));
        meters.RequestFailure.Add(1, tags);
    }

    internal void Execution(long items)
    {
        Interlocked.Increment(ref _counts.Executions);
        Interlocked.Add(ref _counts.Inferences, items);
        meters.BatchSize.Record(items, Tags);
    }

    internal void Compute(double input, double infer, double output)
    {
        var tags = Tags;
        meters.ComputeInputDuration.Record(input, tags);
        meters.ComputeInferDuration.Record(infer, tags);
        meters.ComputeOutputDuration.Record(output, tags);
    }

    internal void Queue(double seconds) => meters.QueueDuration.Record(seconds, Tags);

    internal void Cache(bool hit)
    {
        if (hit)
        {
            Interlocked.Increment(ref _counts.CacheHits);
        }
        else
        {
            Interlocked.Increment(ref _counts.CacheMisses);
        }
    }
}

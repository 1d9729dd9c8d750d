using System.Diagnostics;

namespace InferenceService.Runtime.Telemetry;

/// <summary>The metric instruments of one model version, with its labels bound once.</summary>
/// <param name="ExecutionProvider">Written on batch spans.</param>
public sealed record ModelMetrics(string Model, long Version, string ExecutionProvider)
{
    /// <summary>For runners built without a version (unit tests): version 0, provider unknown.</summary>
    public static ModelMetrics Unversioned(string model) => new(model, 0, "unknown");

    internal TagList Tags => InferenceTelemetry.Tags(Model, Version);

    internal void Success(double seconds)
    {
        var tags = Tags;
        InferenceTelemetry.RequestSuccess.Add(1, tags);
        InferenceTelemetry.RequestDuration.Record(seconds, tags);
    }

    internal void Failure(Exception error)
    {
        var tags = Tags;
        tags.Add(InferenceTelemetry.ReasonTag, InferenceTelemetry.ReasonOf(error));
        InferenceTelemetry.RequestFailure.Add(1, tags);
    }

    internal void Execution(long items)
    {
        var tags = Tags;
        InferenceTelemetry.ExecutionCount.Add(1, tags);
        InferenceTelemetry.InferenceCount.Add(items, tags);
        InferenceTelemetry.BatchSize.Record(items, tags);
    }

    internal void Compute(double input, double infer, double output)
    {
        var tags = Tags;
        InferenceTelemetry.ComputeInputDuration.Record(input, tags);
        InferenceTelemetry.ComputeInferDuration.Record(infer, tags);
        InferenceTelemetry.ComputeOutputDuration.Record(output, tags);
    }

    internal void Queue(double seconds) => InferenceTelemetry.QueueDuration.Record(seconds, Tags);

    internal void Cache(bool hit) => (hit ? InferenceTelemetry.CacheHits : InferenceTelemetry.CacheMisses).Add(1, Tags);
}

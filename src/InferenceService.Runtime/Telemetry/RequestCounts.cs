using System.Diagnostics.Metrics;

namespace InferenceService.Runtime.Telemetry;

/// <summary>
/// The counted events of one model version (labels model and version), shared by every load of that version as a
/// counter's series is. They are observed at collection rather than recorded as measurements: an increment costs a few
/// nanoseconds, a counter measurement through the SDK's listener a few hundred, and a tiny model's request made three.
/// </summary>
internal sealed class RequestCounts(string model, long version)
{
    private readonly KeyValuePair<string, object?>[] _tags = [new(InferenceTelemetry.ModelTag, model), new(InferenceTelemetry.VersionTag, version)];

    // Fields, for Interlocked.
    public long Success;
    public long Executions;
    public long Inferences;
    public long CacheHits;
    public long CacheMisses;

    /// <summary>Nothing until the first event, as a counter's series appears with its first Add.</summary>
    public void Observe(List<Measurement<long>> into, long value)
    {
        if (value > 0)
        {
            into.Add(new Measurement<long>(value, _tags));
        }
    }
}

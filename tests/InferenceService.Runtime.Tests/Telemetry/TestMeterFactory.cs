using System.Diagnostics.Metrics;

namespace InferenceService.Runtime.Tests.Telemetry;

/// <summary>An <see cref="IMeterFactory"/> of the test's own, as the host's DI container gives one per host.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}

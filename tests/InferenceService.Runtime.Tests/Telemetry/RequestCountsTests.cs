using System.Diagnostics.Metrics;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Telemetry;

namespace InferenceService.Runtime.Tests.Telemetry;

/// <summary>The request counters are observed, not measured: same names and values as counters, a series from its first event, continued by a reload.</summary>
public sealed class RequestCountsTests
{
    [Fact]
    public void Counters_AfterKnownEvents_ReportTheCountsPerVersion()
    {
        using var factory = new TestMeterFactory();
        var meters = new InferenceMeters(factory, new ModelRegistry());
        var metrics = new ModelMetrics(meters, "m", 1, "cpu");
        var other = new ModelMetrics(meters, "m", 2, "cpu");

        metrics.Execution(3);
        metrics.Execution(2);
        for (var i = 0; i < 5; i++)
        {
            metrics.Success(0.001);
        }

        metrics.Cache(hit: true);
        other.Execution(1);
        var observed = Observe(meters);

        Assert.Equal(5, observed[("inference_request_success", 1)]);
        Assert.Equal(5, observed[("inference_count", 1)]);
        Assert.Equal(2, observed[("inference_exec_count", 1)]);
        Assert.Equal(1, observed[("inference_cache_hits", 1)]);
        Assert.Equal(1, observed[("inference_exec_count", 2)]);

        // No event, no series: as a counter's series appears only with its first Add.
        Assert.False(observed.ContainsKey(("inference_cache_misses", 1)));
        Assert.False(observed.ContainsKey(("inference_request_success", 2)));
    }

    [Fact]
    public void Counters_VersionLoadedAgain_ContinuesItsSeries()
    {
        using var factory = new TestMeterFactory();
        var meters = new InferenceMeters(factory, new ModelRegistry());
        new ModelMetrics(meters, "m", 1, "cpu").Success(0.001);

        new ModelMetrics(meters, "m", 1, "cuda").Success(0.001);

        Assert.Equal(2, Observe(meters)[("inference_request_success", 1)]);
    }

    /// <summary>The value of each observable counter of this meter for model "m", by name and version.</summary>
    private static Dictionary<(string Name, long Version), long> Observe(InferenceMeters meters)
    {
        var values = new Dictionary<(string, long), long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meters.Meter) && instrument is ObservableCounter<long>)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, measurement, tags, _) =>
        {
            var map = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            if (Equals(map["model"], "m"))
            {
                values[(instrument.Name, (long)map["version"]!)] = measurement;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }
}

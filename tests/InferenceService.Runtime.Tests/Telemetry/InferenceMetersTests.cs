using System.Diagnostics.Metrics;
using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tests.Batching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Telemetry;

/// <summary>inference_pending_requests reads the queue depth of the models in its own registry, so two services never see each other's queues.</summary>
public sealed class InferenceMetersTests
{
    [Fact]
    public async Task PendingRequests_TwoRegistriesSameModelName_EachReportsItsOwnQueueThenZero()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        using var factory = new TestMeterFactory();
        var config = TextModel.Config(new DynamicBatchingConfig { MaxQueueDelayMicroseconds = 1_000_000 });
        var (busy, batcher) = Serve(config, executor, time);
        var (idle, _) = Serve(config, executor, time);
        var busyMeters = new InferenceMeters(factory, busy);
        var idleMeters = new InferenceMeters(factory, idle);
        await using (batcher)
        {
            var watcher = new LoopWatcher(batcher);
            var waiting = watcher.WhenIdleAfter(3);
            var requests = Enumerable.Range(1, 3).Select(i => batcher.InferAsync(TextModel.Request(i, 4), default)).ToList();
            await waiting;

            var queued = (Pending(busyMeters), Pending(idleMeters));
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal((3L, 0L), queued);
            Assert.Equal(0L, Pending(busyMeters));
        }
    }

    private static (ModelRegistry Registry, DynamicBatcher Batcher) Serve(ModelConfig config, FakeTextExecutor executor, FakeTimeProvider time)
    {
        var batcher = new DynamicBatcher(new BatchingModel("text", config, time), executor, time, NullLogger.Instance);
        var version = new ModelVersion("text", 1, config, Path.GetTempPath());
        version.MarkReady(null!, batcher);
        var registry = new ModelRegistry();
        registry.Publish(new ModelEntry("text", Path.GetTempPath(), config, [version], [], fingerprint: null));
        return (registry, batcher);
    }

    /// <summary>The gauge's value for model "text", read from this meter only.</summary>
    private static long Pending(InferenceMeters meters)
    {
        long? value = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meters.Meter) && instrument.Name == "inference_pending_requests")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, tags, _) =>
        {
            if (tags.ToArray().Contains(new KeyValuePair<string, object?>("model", "text")))
            {
                value = measurement;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return value ?? throw new InvalidOperationException("no measurement for model 'text'");
    }
}

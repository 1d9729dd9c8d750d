using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tests.Batching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Telemetry;

/// <summary>inference_pending_requests reads the batchers' queue depth (each test uses its own model name: the registry is process-wide).</summary>
public sealed class PendingQueuesTests
{
    [Fact]
    public async Task Observe_RequestsWaitingForTheDelay_ReportsTheQueueDepthThenZero()
    {
        var name = "pending-" + Guid.NewGuid().ToString("N")[..8];
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        var config = TextModel.Config(new DynamicBatchingConfig { MaxQueueDelayMicroseconds = 1_000_000 });
        var batcher = new DynamicBatcher(new BatchingModel(name, config, time), executor, time, NullLogger.Instance);
        await using (batcher)
        {
            var watcher = new LoopWatcher(batcher);
            var idle = watcher.WhenIdleAfter(3);
            var requests = Enumerable.Range(1, 3).Select(i => batcher.InferAsync(TextModel.Request(i, 4), default)).ToList();
            await idle;

            var queued = Depth(name);
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(10));
            var drained = Depth(name);

            Assert.Equal(3, queued);
            Assert.Equal(0, drained);
        }

        Assert.Null(Depth(name));
    }

    private static long? Depth(string model) =>
        PendingQueues.Observe().Where(m => m.Tags.ToArray().Contains(new KeyValuePair<string, object?>("model", model))).Select(m => (long?)m.Value).SingleOrDefault();
}

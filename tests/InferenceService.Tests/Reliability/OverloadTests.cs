using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace InferenceService.Tests.Reliability;

/// <summary>
/// ~4x the measured capacity against MiniLM with a small queue (max_queue_size 8, queue timeout 1 s): the excess is
/// refused at once with 503 + Retry-After, what is admitted finishes within the queue timeout (plus the batches around it), and the
/// service serves normally again within 1 s of the load stopping.
/// </summary>
[Trait("Category", "Load")]
[Collection(LoadCollection.Name)]
public sealed class OverloadTests(ITestOutputHelper output)
{
    private const int QueueSize = 8;
    private static readonly TimeSpan QueueTimeout = TimeSpan.FromSeconds(1);

    // Generous: the client shares 2 cores with the service, wrk-free but not noise-free.
    private const double RejectP50Ms = 100;
    private const double RejectP99Ms = 500;
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task FourTimesCapacity_SmallQueue_ExcessRejectedFastAdmittedInTimeRecoversWithinOneSecond()
    {
        using var repository = new ReliabilityRepository(config => config["dynamic_batching"] = new JsonObject
        {
            ["max_queue_delay_microseconds"] = 2000,
            ["max_queue_size"] = QueueSize,
            ["default_timeout_microseconds"] = (long)QueueTimeout.TotalMicroseconds,
            ["length_buckets"] = new JsonArray(16, 32, 64, 128, 256),
        });
        using var service = await ServiceProcess.StartAsync(repository.Path);
        using var load = new LoadGenerator(LoadGenerator.CreateClient(service.BaseAddress, 512), MiniLmRequests.V2Infer);
        await load.MeasureCapacityAsync(4, TimeSpan.FromSeconds(2));
        var capacity = await load.MeasureCapacityAsync(QueueSize, ReliabilitySettings.CapacityProbe);
        Assert.True(capacity > 0, "no request succeeded while measuring capacity:\n" + service.Log);

        TimeSpan? recovered = null;
        var samples = await load.RunOpenLoopAsync(4 * capacity, ReliabilitySettings.Overload, maxInFlight: 512, whenStopped: async () =>
        {
            using var probe = new LoadGenerator(LoadGenerator.CreateClient(service.BaseAddress, 1), MiniLmRequests.V2Infer);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                if ((await probe.SendAsync(clock)).Status == 200)
                {
                    recovered = clock.Elapsed;
                    return;
                }

                await Task.Delay(20);
            }
        });

        var admitted = samples.Where(s => s.Status == 200).ToList();
        var rejected = samples.Where(s => s.Status == 503).ToList();
        var other = samples.Where(s => s.Status is not (200 or 503 or 504)).ToList();
        output.WriteLine($"capacity {capacity:F1} req/s; {ReliabilitySettings.Overload.TotalSeconds} s at {4 * capacity:F1} req/s: {samples.Count} requests, "
            + $"{admitted.Count} 200 (p50 {Percentiles.Of(admitted.Select(s => s.LatencyMs), 50):F1} ms, p99 {Percentiles.Of(admitted.Select(s => s.LatencyMs), 99):F1} ms), "
            + $"{rejected.Count} 503 (p50 {Percentiles.Of(rejected.Select(s => s.LatencyMs), 50):F1} ms, p99 {Percentiles.Of(rejected.Select(s => s.LatencyMs), 99):F1} ms), "
            + $"{samples.Count(s => s.Status == 504)} 504, {other.Count} other, skipped at cap {load.SkippedAtCap}; recovered after {recovered?.TotalMilliseconds:F0} ms");

        Assert.Empty(other.Take(5).Select(f => $"{f.Status} {f.Error}"));
        Assert.NotEmpty(rejected);
        Assert.All(rejected, r => Assert.Contains("\"error\"", r.Error, StringComparison.Ordinal));
        Assert.All(rejected.Where(r => r.Error!.Contains("queue is full", StringComparison.Ordinal)), r => Assert.NotNull(r.RetryAfter));
        Assert.True(Percentiles.Of(rejected.Select(s => s.LatencyMs), 50) <= RejectP50Ms, "503s were not prompt (p50)");
        Assert.True(Percentiles.Of(rejected.Select(s => s.LatencyMs), 99) <= RejectP99Ms, "503s were not prompt (p99)");
        Assert.NotEmpty(admitted);

        // The timeout bounds the wait in the queue; the request's own batch runs after it, and the batch ahead may still
        // be running when it leaves: two full batches at the measured capacity (as the summary above says: "plus one batch").
        var bound = QueueTimeout + (2 * TimeSpan.FromSeconds(QueueSize / capacity));
        Assert.True(Percentiles.Of(admitted.Select(s => s.LatencyMs), 99) <= bound.TotalMilliseconds,
            $"admitted p99 {Percentiles.Of(admitted.Select(s => s.LatencyMs), 99):F0} ms exceeds the queue timeout {QueueTimeout.TotalMilliseconds} ms plus two batches ({bound.TotalMilliseconds:F0} ms)");
        Assert.True(recovered is { } r && r <= Recovery, $"no 200 within {Recovery.TotalSeconds} s of the load stopping (first after {recovered?.TotalMilliseconds:F0} ms)");
    }
}

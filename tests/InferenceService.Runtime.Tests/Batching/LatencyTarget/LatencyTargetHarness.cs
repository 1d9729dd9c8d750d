using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Batching.LatencyTarget;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Batching.LatencyTarget;

/// <summary>
/// A latency-target batcher (one instance, max_batch_size 32) over a <see cref="CostCurveExecutor"/>. Time moves only
/// inside the executor or when a test advances it, so every batch and every latency is deterministic.
/// </summary>
internal sealed class LatencyTargetHarness : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private long _received;

    /// <param name="calibrationRunsMs">The first runs' times, whatever their size (a calibration on a busy machine); the cost curve after them.</param>
    public LatencyTargetHarness(double targetMs, double aMs, double bMs, int maxBatchSize = 32, int instances = 1, IReadOnlyList<long>? lengthBuckets = null, IReadOnlyList<double>? calibrationRunsMs = null, long? maxBatchTokens = null)
    {
        Executor = new CostCurveExecutor(Time, aMs, bMs, instances);
        foreach (var ms in calibrationRunsMs ?? [])
        {
            Executor.NextRunTakes(ms);
        }

        var config = TextModel.Config(new DynamicBatchingConfig { LatencyTargetMs = targetMs, LengthBuckets = lengthBuckets ?? [], MaxBatchTokens = maxBatchTokens }, maxBatchSize);
        Batcher = (DynamicBatcher)ModelRunnerFactory.Create("text", config, Executor, Time, NullLoggerFactory.Instance);
        Watcher = new LoopWatcher(Batcher);
    }

    public FakeTimeProvider Time { get; } = new();

    public CostCurveExecutor Executor { get; }

    public DynamicBatcher Batcher { get; }

    public LoopWatcher Watcher { get; }

    /// <summary>Batches the loop had dispatched when it went idle after the last <see cref="SendOneAsync"/>.</summary>
    public long Dispatched { get; private set; }

    public LatencyTargetStatistics Stats => Batcher.GetStatistics().LatencyTarget!;

    /// <summary>The only bucket (every request and the calibration share one shape key).</summary>
    public BucketCostStatistics Bucket => Assert.Single(Stats.Buckets);

    /// <summary>
    /// Queues <paramref name="count"/> requests while runs are held (no time passes), then lets them run; returns the
    /// sizes of the batches they made, in order. A saturated queue: every batch but the last leaves requests behind.
    /// </summary>
    public async Task<List<int>> BurstAsync(int count, int length = 4)
    {
        // The loop must have finished with the last burst (a pass after a batch completes could read part of this one),
        // and reads this one only when all of it is queued: a loop racing the sender would see a trickle, not a burst.
        await Watcher.WhenQuietAfter(_received);
        var before = Executor.Sizes.Count;
        Executor.Hold();
        Watcher.PauseReads();
        _received += count;
        var idle = Watcher.WhenIdleAfter(_received);
        var answers = Enumerable.Range(0, count).Select(i => Batcher.InferAsync(TextModel.Request(i + 1, length), CancellationToken.None)).ToList();
        Watcher.ResumeReads();
        await idle;
        Executor.Open();
        await Task.WhenAll(answers).WaitAsync(Bound);
        return Executor.Sizes.Skip(before).ToList();
    }

    /// <summary>Sends one request and waits until the loop has read it and gone to sleep.</summary>
    public async Task<Task<IReadOnlyList<Tensor>>> SendOneAsync()
    {
        _received++;
        var idle = Watcher.WhenIdleAfter(_received);
        var answer = Batcher.InferAsync(TextModel.Request(_received, 4), CancellationToken.None);
        Dispatched = await idle;
        return answer;
    }

    public ValueTask DisposeAsync()
    {
        Executor.Open();
        return Batcher.DisposeAsync();
    }
}

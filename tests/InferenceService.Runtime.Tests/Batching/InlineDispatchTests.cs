using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Resilience;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>
/// The tiny-model path: with the work-conserving default, a request that finds nothing queued and an instance free runs
/// on its caller (no hand-off to the loop, no task), as a batch of one through the same runner, so statistics, failures
/// and the breaker see it as any batch; a busy instance still makes arrivals queue and leave together.
/// </summary>
public sealed class InlineDispatchTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task InferAsync_IdleInstance_RunsOnTheCallersThreadAndIsAnsweredBeforeItReturns()
    {
        var time = new FakeTimeProvider();
        var executor = new SynchronousTextExecutor();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig());
        var request = TextModel.Request(1, 4);
        var caller = Environment.CurrentManagedThreadId;

        var answer = batcher.InferAsync(request, default);

        Assert.True(answer.IsCompletedSuccessfully);
        Assert.Equal([caller], executor.Threads);
        TensorAssert.Equal(TextModel.Unbatched(request), await answer);
        var statistics = batcher.GetStatistics();
        Assert.Equal((1L, 1L, 1L, 0L, 0L), (statistics.ExecutionCount, statistics.InferenceCount, statistics.Success.Count, statistics.Fail.Count, statistics.Queue.Ns));
        Assert.Equal([(1L, 1L)], statistics.BatchStats.Select(b => (b.BatchSize, b.ComputeInfer.Count)));
        Assert.Equal(0, batcher.QueueDepth);
    }

    [Fact]
    public async Task InferAsync_BusyInstance_LaterArrivalsQueueAndLeaveTogetherWithStatisticsOfBoth()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig());
        var watcher = new LoopWatcher(batcher);

        // The caller itself started the run: the executor has it before InferAsync returned.
        var first = batcher.InferAsync(TextModel.Request(1, 4), default);
        Assert.Single(executor.Calls);

        var idle = watcher.WhenIdleAfter(4);
        var requests = Enumerable.Range(2, 3).Select(i => TextModel.Request(i, 4)).ToList();
        var answers = requests.Select(r => batcher.InferAsync(r, default)).ToList();
        Assert.Equal(1, await idle);
        Assert.Single(executor.Calls);
        Assert.Equal(3, batcher.QueueDepth);
        executor.Open();
        var results = await Task.WhenAll(answers).WaitAsync(Bound);
        await first.WaitAsync(Bound);

        Assert.Equal([1L, 3], executor.Calls.Select(c => c.Rows));
        for (var i = 0; i < requests.Count; i++)
        {
            TensorAssert.Equal(TextModel.Unbatched(requests[i]), results[i]);
        }

        var statistics = batcher.GetStatistics();
        Assert.Equal((2L, 4L, 4L), (statistics.ExecutionCount, statistics.InferenceCount, statistics.Success.Count));
        Assert.Equal([(1L, 1L), (3L, 1L)], statistics.BatchStats.Select(b => (b.BatchSize, b.ComputeInfer.Count)));
    }

    [Fact]
    public async Task InferAsync_WithAQueueDelay_LoneRequestWaitsForTheLoopAsTritonDoes()
    {
        var time = new FakeTimeProvider();
        var executor = new SynchronousTextExecutor();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig { MaxQueueDelayMicroseconds = 1000 });
        var watcher = new LoopWatcher(batcher);
        var idle = watcher.WhenIdleAfter(1);

        var answer = batcher.InferAsync(TextModel.Request(1, 4), default);
        await idle;

        Assert.False(answer.IsCompleted);
        Assert.Empty(executor.Threads);
        time.Advance(TimeSpan.FromMicroseconds(1000));
        await answer.WaitAsync(Bound);
        Assert.Equal(1000_000, batcher.GetStatistics().Queue.Ns);
    }

    [Fact]
    public async Task InferAsync_InlineRunFails_OnlyThatRequestFailsCountedAndTheInstanceIsFreeAgain()
    {
        var time = new FakeTimeProvider();
        var executor = new SynchronousTextExecutor { FailWhen = inputs => inputs[0].As<long>().Any(id => TextModel.MarkerOf(id) == 9) };
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig());

        var error = await Assert.ThrowsAsync<InferenceException>(() => batcher.InferAsync(TextModel.Request(9, 4), default).WaitAsync(Bound));
        var next = batcher.InferAsync(TextModel.Request(2, 4), default);

        Assert.Equal(InferenceErrorKind.Backend, error.Kind);
        Assert.True(next.IsCompletedSuccessfully);
        Assert.Equal(2, executor.Threads.Count);
        var statistics = batcher.GetStatistics();
        Assert.Equal((1L, 1L, 1L), (statistics.Fail.Count, statistics.Success.Count, statistics.ExecutionCount));
    }

    [Fact]
    public async Task InferAsync_InlineRunsKeepFailing_TheCircuitBreakerOpens()
    {
        var policy = new ExecutionPolicy { FailureRatio = 0.5, MinimumThroughput = 4, SamplingDuration = TimeSpan.FromMinutes(5), BreakDuration = TimeSpan.FromMinutes(1), ExecutionTimeout = null };
        var time = new FakeTimeProvider();
        var executor = new SynchronousTextExecutor { FailWhen = _ => true };
        var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig());
        await using var runner = new ResilientRunner(batcher, "text", policy, time, NullLogger.Instance);

        for (var i = 0; i < 4; i++)
        {
            var failed = await Assert.ThrowsAsync<InferenceException>(() => runner.InferAsync(TextModel.Request(i, 4), default));
            Assert.Equal(InferenceErrorKind.Backend, failed.Kind);
        }

        var refused = await Assert.ThrowsAsync<InferenceException>(() => runner.InferAsync(TextModel.Request(5, 4), default));
        Assert.Equal(InferenceErrorKind.Unavailable, refused.Kind);
        Assert.Equal(4, executor.Threads.Count);
    }

    [Fact]
    public async Task InferAsync_CancelledDuringAnInlineRun_AnswersAtOnceAndFreesTheInstanceWhenTheRunEnds()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        await using var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig());
        using var cancel = new CancellationTokenSource();
        var running = batcher.InferAsync(TextModel.Request(1, 4), cancel.Token);
        Assert.Single(executor.Calls);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(Bound));
        executor.Open();
        await batcher.InferAsync(TextModel.Request(2, 4), default).WaitAsync(Bound);
        var statistics = batcher.GetStatistics();
        Assert.Equal((1L, 1L), (statistics.Fail.Count, statistics.Success.Count));
    }

    [Fact]
    public async Task DisposeAsync_DuringAnInlineRun_WaitsForItAndLaterRequestsAreRefused()
    {
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor();
        executor.Hold();
        var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig());
        var running = batcher.InferAsync(TextModel.Request(1, 4), default);

        var disposed = batcher.DisposeAsync().AsTask();
        var refused = await Assert.ThrowsAsync<InferenceException>(() => batcher.InferAsync(TextModel.Request(2, 4), default));

        Assert.Equal(InferenceErrorKind.Unavailable, refused.Kind);
        Assert.False(disposed.IsCompleted);
        executor.Open();
        TensorAssert.Equal(TextModel.Unbatched(TextModel.Request(1, 4)), await running.WaitAsync(Bound));
        await disposed.WaitAsync(Bound);
    }

    /// <summary>Runs on the calling thread and completes before returning, recording the threads it ran on.</summary>
    private sealed class SynchronousTextExecutor : IBatchExecutor
    {
        private readonly List<int> _threads = [];

        public int InstanceCount => 1;

        public Func<IReadOnlyList<Tensor>, bool>? FailWhen { get; init; }

        public IReadOnlyList<int> Threads
        {
            get
            {
                lock (_threads)
                {
                    return [.. _threads];
                }
            }
        }

        public Task<IReadOnlyList<Tensor>> ExecuteAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken)
        {
            lock (_threads)
            {
                _threads.Add(Environment.CurrentManagedThreadId);
            }

            return FailWhen?.Invoke(inputs) == true
                ? Task.FromException<IReadOnlyList<Tensor>>(new InferenceException(InferenceErrorKind.Backend, "fake engine error"))
                : Task.FromResult(FakeTextExecutor.Compute(inputs, outputNames));
        }
    }
}

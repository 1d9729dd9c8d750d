using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Sessions;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>The shipped recommender behind its shipped batching config: a lone request's inline run and a batch give the same numbers.</summary>
public sealed class RecommenderInlineTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task InferAsync_RealRecommender_InlineAnswersEqualTheBatchedOnes()
    {
        var config = RepoModels.Config("recommender") with { ExecutionProviders = ["cpu"] };
        var factory = new SessionPoolFactory(new ExecutionProviderCatalog(new OnnxRuntimeEnvironment(NullLoggerFactory.Instance), NullLogger<ExecutionProviderCatalog>.Instance));
        using var pool = factory.Create("recommender", RepoModels.OnnxPath("recommender"), config);
        var executor = new GatedExecutor(pool);
        await using var batcher = (DynamicBatcher)ModelRunnerFactory.Create("recommender", config, executor, new FakeTimeProvider(), NullLoggerFactory.Instance);
        long[] users = [0, 1, 7, 42, 2999];

        // One at a time: each finds the instance idle and runs on this thread, answered when InferAsync returns.
        var alone = new List<float[]>();
        foreach (var user in users)
        {
            var answer = batcher.InferAsync(Request(user), default);
            Assert.True(answer.IsCompletedSuccessfully);
            alone.Add((await answer)[0].As<float>());
        }

        // The instance busy with a held run: the same users queue and run as one batch once it frees.
        var gate = executor.HoldNext();
        var busy = batcher.InferAsync(Request(5), default);
        var watcher = new LoopWatcher(batcher);
        var idle = watcher.WhenIdleAfter(users.Length + 6);
        var queued = users.Select(u => batcher.InferAsync(Request(u), default)).ToList();
        await idle.WaitAsync(Bound);
        gate.SetResult();
        var batched = await Task.WhenAll(queued).WaitAsync(Bound);
        await busy.WaitAsync(Bound);

        Assert.Equal([1L, 1, 1, 1, 1, 1, users.Length], executor.Rows);
        for (var i = 0; i < users.Length; i++)
        {
            Assert.Equal([1L, config.Outputs[0].Dims[0]], batched[i][0].Shape);
            Assert.Equal(alone[i], batched[i][0].As<float>());
        }

        var statistics = batcher.GetStatistics();
        Assert.Equal((7L, 11L, 11L), (statistics.ExecutionCount, statistics.InferenceCount, statistics.Success.Count));
    }

    private static InferenceRequest Request(long user) => new()
    {
        Inputs =
        [
            new Tensor("user_ids", TensorDataType.Int64, [1, 1], new[] { user }),
            new Tensor("item_ids", TensorDataType.Int64, [1, 1], new[] { 0L }),
        ],
        Outputs = ["user_scores"],
    };

    /// <summary>The real pool, but the next run can be held until the test lets it go; records each run's rows.</summary>
    private sealed class GatedExecutor(IBatchExecutor inner) : IBatchExecutor
    {
        private readonly List<long> _rows = [];
        private TaskCompletionSource? _next;

        public int InstanceCount => inner.InstanceCount;

        public IReadOnlyList<long> Rows
        {
            get
            {
                lock (_rows)
                {
                    return [.. _rows];
                }
            }
        }

        public TaskCompletionSource HoldNext() => _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<IReadOnlyList<Tensor>> ExecuteAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken)
        {
            lock (_rows)
            {
                _rows.Add(inputs[0].Shape[0]);
            }

            if (Interlocked.Exchange(ref _next, null) is { } gate)
            {
                await gate.Task.ConfigureAwait(false);
            }

            return await inner.ExecuteAsync(inputs, outputNames, cancellationToken).ConfigureAwait(false);
        }
    }
}

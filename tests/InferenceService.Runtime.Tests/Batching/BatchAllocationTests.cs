using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Sessions;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace InferenceService.Runtime.Tests.Batching;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    /// <summary>Alone in the process: the measurement counts every thread's allocations.</summary>
    public const string Name = "Allocation measurements";
}

/// <summary>
/// Bytes allocated per batch of 8 on the real models, with batch buffers recycled (the default) and without (what the
/// batcher did before: a new concatenation per input, a new copy of each output before splitting).
/// </summary>
[Collection(AllocationCollection.Name)]
public sealed class BatchAllocationTests(ITestOutputHelper output)
{
    private const int Members = 8;

    [Fact]
    public async Task Resnet18_RecycledInputs_SaveTheConcatenatedImagesPerBatch()
    {
        var concatenated = (long)Members * 3 * 224 * 224 * sizeof(float);
        var (plain, recycled) = await MeasureAsync("resnet18", i => [new Tensor("Input247", TensorDataType.Fp32, [1, 3, 224, 224], Image(i))], batches: 3);

        Assert.True(recycled < plain - (concatenated * 9 / 10), $"recycled {recycled} B per batch, plain {plain} B; the concatenated input is {concatenated} B");
    }

    [Fact]
    public async Task MiniLm_LentOutputs_SaveTheBatchOutputCopyPerBatch()
    {
        const int Length = 64;
        var copied = (long)Members * Length * 384 * sizeof(float);
        var (plain, recycled) = await MeasureAsync("minilm", i => Text(i, Length), batches: 6);

        Assert.True(recycled < plain - (copied * 9 / 10), $"recycled {recycled} B per batch, plain {plain} B; the batch output is {copied} B");
    }

    private async Task<(long Plain, long Recycled)> MeasureAsync(string name, Func<int, IReadOnlyList<Tensor>> inputs, int batches)
    {
        var loaded = RepoModels.Config(name);
        var config = loaded with
        {
            ExecutionProviders = ["cpu"],

            // Only full batches of 8: each wave of 8 requests is one batch.
            MaxBatchSize = Members,
            DynamicBatching = (loaded.DynamicBatching ?? new DynamicBatchingConfig()) with { MaxQueueDelayMicroseconds = 60_000_000, LengthBuckets = [] },
        };
        var factory = new SessionPoolFactory(new ExecutionProviderCatalog(new OnnxRuntimeEnvironment(NullLoggerFactory.Instance), NullLogger<ExecutionProviderCatalog>.Instance));
        using var pool = factory.Create(name, RepoModels.OnnxPath(name), config);
        var requests = Enumerable.Range(0, Members).Select(i => new InferenceRequest { Inputs = inputs(i) }).ToList();

        var plain = await BytesPerBatchAsync(new OwnedOutputs(pool), new ArrayRecycler(capacity: 0), name, config, requests, batches);
        var recycled = await BytesPerBatchAsync(pool, inputBuffers: null, name, config, requests, batches);
        output.WriteLine($"{name}, batches of {Members}: {plain:N0} B allocated per batch without recycling, {recycled:N0} B with ({(plain - recycled) / 1024.0:N0} KiB less)");
        return (plain, recycled);
    }

    private static async Task<long> BytesPerBatchAsync(IBatchExecutor executor, ArrayRecycler? inputBuffers, string name, ModelConfig config, List<InferenceRequest> requests, int batches)
    {
        await using var batcher = new DynamicBatcher(new BatchingModel(name, config, TimeProvider.System), executor, TimeProvider.System, NullLogger.Instance, inputBuffers: inputBuffers);

        // The first batch fills the recyclers (and warms up the engine); the next ones are measured.
        IReadOnlyList<Tensor>[] reference = await Task.WhenAll(requests.Select(r => batcher.InferAsync(r, CancellationToken.None)));
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var b = 0; b < batches; b++)
        {
            var answers = await Task.WhenAll(requests.Select(r => batcher.InferAsync(r, CancellationToken.None)));
            Assert.Equal(reference[3][0].As<float>(), answers[3][0].As<float>());
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / batches;
    }

    private static float[] Image(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 3 * 224 * 224).Select(_ => (float)(random.NextDouble() * 255) - 120).ToArray();
    }

    private static IReadOnlyList<Tensor> Text(int seed, int length)
    {
        var random = new Random(seed);
        var ids = Enumerable.Range(0, length).Select(j => j == 0 ? 101L : j == length - 1 ? 102L : random.Next(1000, 29000)).ToArray();
        return
        [
            new Tensor("input_ids", TensorDataType.Int64, [1, length], ids),
            new Tensor("attention_mask", TensorDataType.Int64, [1, length], Enumerable.Repeat(1L, length).ToArray()),
            new Tensor("token_type_ids", TensorDataType.Int64, [1, length], new long[length]),
        ];
    }

    /// <summary>The session pool without its lending run: outputs copied into new arrays, as before.</summary>
    private sealed class OwnedOutputs(SessionPool pool) : IBatchExecutor
    {
        public int InstanceCount => pool.InstanceCount;

        public Task<IReadOnlyList<Tensor>> ExecuteAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken) =>
            pool.ExecuteAsync(inputs, outputNames, cancellationToken);
    }
}

using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Logging.Abstractions;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>Recycled batch inputs and lent batch outputs: answers unchanged, no array reused while a batch still uses it.</summary>
public sealed class BatchBufferReuseTests
{
    [Fact]
    public async Task Batches_RecycledInputsAndLentOutputs_EveryAnswerEqualsUnbatched()
    {
        var executor = new LendingTextExecutor(instanceCount: 3);
        var inputs = new ArrayRecycler(capacity: 12, minBytes: 0);
        var model = new BatchingModel("text", TextModel.Config(new DynamicBatchingConfig { MaxQueueDelayMicroseconds = 500 }), TimeProvider.System);
        await using var batcher = new DynamicBatcher(model, executor, TimeProvider.System, NullLogger.Instance, inputBuffers: inputs);
        var random = new Random(7);

        // Few lengths, so batches repeat their shapes and arrays get reused; several waves, so reuse crosses batches.
        for (var wave = 0; wave < 20; wave++)
        {
            var requests = Enumerable.Range(0, 24).Select(i => TextModel.Request((wave * 100) + i, length: 4 + random.Next(3), rows: 1 + random.Next(2))).ToList();
            var answers = await Task.WhenAll(requests.Select(r => Task.Run(() => batcher.InferAsync(r, CancellationToken.None))));

            for (var i = 0; i < requests.Count; i++)
            {
                var expected = TextModel.Unbatched(requests[i]);
                Assert.Equal(expected.Count, answers[i].Count);
                for (var o = 0; o < expected.Count; o++)
                {
                    Assert.Equal(expected[o].Shape, answers[i][o].Shape);
                    Assert.Equal(expected[o].As<float>(), answers[i][o].As<float>());
                }
            }
        }

        Assert.Equal(0, executor.InputsChanged);
        Assert.True(executor.Lent > 0, "no batch of several members was lent its outputs");
        Assert.True(inputs.Reused > 0, "no concatenated input array was reused");
        Assert.True(executor.Outputs.Reused > 0, "no output array was reused");
    }

    [Fact]
    public async Task Batch_OneMember_OwnsTheExecutorOutputs()
    {
        var executor = new LendingTextExecutor(instanceCount: 1);
        var model = new BatchingModel("text", TextModel.Config(new DynamicBatchingConfig()), TimeProvider.System);
        await using var batcher = new DynamicBatcher(model, executor, TimeProvider.System, NullLogger.Instance);
        var request = TextModel.Request(1, length: 5);

        var answer = await batcher.InferAsync(request, CancellationToken.None);

        Assert.Equal(0, executor.Lent);
        Assert.Equal(TextModel.Unbatched(request)[0].As<float>(), answer[0].As<float>());
    }
}

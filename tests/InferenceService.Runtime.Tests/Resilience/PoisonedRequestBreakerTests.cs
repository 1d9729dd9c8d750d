using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Resilience;
using InferenceService.Runtime.Tests.Batching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Resilience;

/// <summary>Failures a request's own data causes never count against the circuit breaker: poisoned requests cannot take the model down.</summary>
public sealed class PoisonedRequestBreakerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task InferAsync_PoisonedStreamAtTheBreakerThreshold_ModelStaysAvailable()
    {
        var policy = new ExecutionPolicy { FailureRatio = 0.5, MinimumThroughput = 4, SamplingDuration = TimeSpan.FromMinutes(5), BreakDuration = TimeSpan.FromMinutes(1), ExecutionTimeout = null };
        var time = new FakeTimeProvider();
        using var executor = new FakeTextExecutor { FailWhen = inputs => inputs[0].As<long>().Any(id => TextModel.MarkerOf(id) >= 900) };
        var batcher = TextModel.Batcher(executor, time, new DynamicBatchingConfig { PreferredBatchSizes = [2], MaxQueueDelayMicroseconds = 1_000_000 });
        await using var runner = new ResilientRunner(batcher, "text", policy, time, NullLogger.Instance);

        // Every batch pairs a poisoned request with a good one: half of all requests fail, the breaker's ratio.
        for (var round = 0; round < 10; round++)
        {
            var poisoned = runner.InferAsync(TextModel.Request(900 + round, 4), default);
            var good = runner.InferAsync(TextModel.Request(round + 1, 4), default);
            await Assert.ThrowsAsync<InferenceException>(() => poisoned.WaitAsync(Bound));
            TensorAssert.Equal(TextModel.Unbatched(TextModel.Request(round + 1, 4)), await good.WaitAsync(Bound));
        }

        var pair = new[] { runner.InferAsync(TextModel.Request(50, 4), default), runner.InferAsync(TextModel.Request(51, 4), default) };
        var answers = await Task.WhenAll(pair).WaitAsync(Bound);

        TensorAssert.Equal(TextModel.Unbatched(TextModel.Request(50, 4)), answers[0]);
    }
}

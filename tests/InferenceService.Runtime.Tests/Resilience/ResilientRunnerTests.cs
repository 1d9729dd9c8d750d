using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace InferenceService.Runtime.Tests.Resilience;

public sealed class ResilientRunnerTests
{
    private static readonly ExecutionPolicy Policy = new()
    {
        FailureRatio = 0.5,
        MinimumThroughput = 2,
        SamplingDuration = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromSeconds(10),
        ExecutionTimeout = TimeSpan.FromSeconds(5),
    };

    [Fact]
    public async Task InferAsync_RepeatedEngineFailures_OpensAndRejectsWithoutCallingTheModel()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedRunner { Failing = true };
        await using var runner = new ResilientRunner(inner, "m", Policy, time, NullLogger.Instance);
        await Assert.ThrowsAsync<InferenceException>(() => runner.InferAsync(ScriptedRunner.Request, default));
        await Assert.ThrowsAsync<InferenceException>(() => runner.InferAsync(ScriptedRunner.Request, default));
        inner.Failing = false;

        var rejected = await Assert.ThrowsAsync<InferenceException>(() => runner.InferAsync(ScriptedRunner.Request, default));

        Assert.Equal(InferenceErrorKind.Unavailable, rejected.Kind);
        Assert.Equal(10, rejected.RetryAfterSeconds);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task CheckAdmission_BreakerOpen_RefusesUntilTheBreakDurationThenLetsTheTrialThrough()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedRunner { Failing = true };
        await using var runner = new ResilientRunner(inner, "m", Policy, time, NullLogger.Instance);
        await Assert.ThrowsAsync<InferenceException>(() => runner.InferAsync(ScriptedRunner.Request, default));
        await Assert.ThrowsAsync<InferenceException>(() => runner.InferAsync(ScriptedRunner.Request, default));

        var refused = runner.CheckAdmission(timeout: null, admitted: 0);
        time.Advance(Policy.BreakDuration);
        var afterBreak = runner.CheckAdmission(timeout: null, admitted: 0);

        Assert.Equal((InferenceErrorKind.Unavailable, 10), (refused?.Kind, refused?.RetryAfterSeconds));
        Assert.Null(afterBreak);
    }

    [Fact]
    public async Task InferAsync_AfterBreakDuration_TrialSucceedsAndClosesTheBreaker()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedRunner { Failing = true };
        await using var runner = new ResilientRunner(inner, "m", Policy, time, NullLogger.Instance);
        await Assert.ThrowsAsync<InferenceException>(() => runner.InferAsync(ScriptedRunner.Request, default));
        await Assert.ThrowsAsync<InferenceException>(() => runner.InferAsync(ScriptedRunner.Request, default));
        inner.Failing = false;
        time.Advance(TimeSpan.FromSeconds(10));

        var trial = await runner.InferAsync(ScriptedRunner.Request, default);
        var next = await runner.InferAsync(ScriptedRunner.Request, default);

        Assert.Same(ScriptedRunner.Answer, trial);
        Assert.Same(ScriptedRunner.Answer, next);
        Assert.Equal(4, inner.Calls);
    }

    [Fact]
    public async Task InferAsync_TrialFailsWhileHalfOpen_OpensAgain()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedRunner { Failing = true };
        await using var runner = new ResilientRunner(inner, "m", Policy, time, NullLogger.Instance);
        await Assert.ThrowsAsync<InferenceException>(() => runner.InferAsync(ScriptedRunner.Request, default));
        await Assert.ThrowsAsync<InferenceException>(() => runner.InferAsync(ScriptedRunner.Request, default));
        time.Advance(TimeSpan.FromSeconds(10));

        var trial = await Assert.ThrowsAsync<InferenceException>(() => runner.InferAsync(ScriptedRunner.Request, default));
        var rejected = await Assert.ThrowsAsync<InferenceException>(() => runner.InferAsync(ScriptedRunner.Request, default));

        Assert.Equal(InferenceErrorKind.Backend, trial.Kind);
        Assert.Equal(InferenceErrorKind.Unavailable, rejected.Kind);
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task InferAsync_ClientErrors_DoNotOpenTheBreaker()
    {
        var time = new FakeTimeProvider();
        var inner = new BadRequestRunner();
        await using var runner = new ResilientRunner(inner, "m", Policy, time, NullLogger.Instance);

        for (var i = 0; i < 5; i++)
        {
            var error = await Assert.ThrowsAsync<InferenceException>(() => runner.InferAsync(ScriptedRunner.Request, default));
            Assert.Equal(InferenceErrorKind.BadRequest, error.Kind);
        }
    }

    [Fact]
    public async Task InferAsync_ExecutionExceedsTimeout_FailsWithTimeout()
    {
        var time = new FakeTimeProvider();
        var inner = new ScriptedRunner { Hanging = true };
        await using var runner = new ResilientRunner(inner, "m", Policy, time, NullLogger.Instance);

        var call = runner.InferAsync(ScriptedRunner.Request, default);
        time.Advance(TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<InferenceException>(() => call);

        Assert.Equal(InferenceErrorKind.Timeout, error.Kind);
    }

    private sealed class BadRequestRunner : IModelRunner, IModelStatistics
    {
        public Task<IReadOnlyList<Runtime.Tensors.Tensor>> InferAsync(InferenceRequest request, CancellationToken cancellationToken) =>
            Task.FromException<IReadOnlyList<Runtime.Tensors.Tensor>>(InferenceException.BadRequest("wrong shape"));

        public ModelStatisticsSnapshot GetStatistics() => new();

        public int QueueDepth => 0;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

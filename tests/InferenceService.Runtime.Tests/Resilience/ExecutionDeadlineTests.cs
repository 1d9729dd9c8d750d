using InferenceService.Runtime.Resilience;
using Microsoft.Extensions.Time.Testing;
using Polly.Timeout;

namespace InferenceService.Runtime.Tests.Resilience;

/// <summary>The execution timeout: no timer for a call answered before it returns, a cooperative cancellation for one that is late.</summary>
public sealed class ExecutionDeadlineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task RunAsync_AnsweredBeforeItReturns_ArmsNoTimer()
    {
        var time = new CountingTimeProvider();

        var answer = await ExecutionDeadline.RunAsync(static (_, _) => Task.FromResult(42), 0, Timeout, time, default);

        Assert.Equal(42, answer);
        Assert.Equal(0, time.Timers);
    }

    [Fact]
    public async Task RunAsync_PendingPastTheTimeout_CancelsTheInnerTokenAndThrowsTimeoutRejected()
    {
        var time = new CountingTimeProvider();
        CancellationToken inner = default;

        var call = ExecutionDeadline.RunAsync((_, token) => { inner = token; return Task.Delay(System.Threading.Timeout.Infinite, token).ContinueWith(_ => 1, token, TaskContinuationOptions.None, TaskScheduler.Default); }, 0, Timeout, time, default);
        time.Advance(Timeout - TimeSpan.FromTicks(1));
        var lateBefore = call.IsCompleted;
        time.Advance(TimeSpan.FromTicks(1));
        var error = await Assert.ThrowsAsync<TimeoutRejectedException>(() => call);

        Assert.False(lateBefore);
        Assert.True(inner.IsCancellationRequested);
        Assert.Equal(Timeout, error.Timeout);
        Assert.Equal(1, time.Timers);
    }

    [Fact]
    public async Task RunAsync_TimeSpentBeforeItReturns_CountsAgainstTheTimeout()
    {
        var time = new CountingTimeProvider();
        var pending = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = ExecutionDeadline.RunAsync((_, token) =>
        {
            // The synchronous part of the call took 4 of the 5 s.
            time.Advance(TimeSpan.FromSeconds(4));
            token.Register(() => pending.TrySetCanceled(token));
            return pending.Task;
        }, 0, Timeout, time, default);
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => call);
    }

    [Fact]
    public async Task RunAsync_PendingAndAnsweredInTime_ReturnsTheAnswerAndNeverCancels()
    {
        var time = new CountingTimeProvider();
        var pending = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken inner = default;

        var call = ExecutionDeadline.RunAsync((_, token) => { inner = token; return pending.Task; }, 0, Timeout, time, default);
        time.Advance(TimeSpan.FromSeconds(1));
        pending.SetResult(7);
        var answer = await call;
        time.Advance(Timeout * 2);

        Assert.Equal(7, answer);
        Assert.False(inner.IsCancellationRequested);
    }

    [Fact]
    public async Task RunAsync_CallerCancels_ThrowsCanceledNotTimeout()
    {
        var time = new CountingTimeProvider();
        using var caller = new CancellationTokenSource();

        var call = ExecutionDeadline.RunAsync(static (_, token) => Task.Delay(System.Threading.Timeout.Infinite, token).ContinueWith(_ => 1, token, TaskContinuationOptions.None, TaskScheduler.Default), 0, Timeout, time, caller.Token);
        await caller.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.IsNotType<TimeoutRejectedException>(error);
    }

    private sealed class CountingTimeProvider : FakeTimeProvider
    {
        public int Timers { get; private set; }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Timers++;
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}

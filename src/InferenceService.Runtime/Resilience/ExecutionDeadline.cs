using Polly.Timeout;

namespace InferenceService.Runtime.Resilience;

/// <summary>
/// The execution timeout, cooperative as Polly's timeout strategy is (the inner call gets a token that is cancelled when
/// the time is up, and its cancellation becomes <see cref="TimeoutRejectedException"/>), but with a timer only for a
/// call still pending when it returns. A tiny model's inline batch of one is answered before the call returns, so the
/// common request arms no timer at all; Polly's strategy armed and disarmed one on the timer queue for every request.
/// </summary>
internal static class ExecutionDeadline
{
    public static Task<T> RunAsync<TState, T>(Func<TState, CancellationToken, Task<T>> run, TState state, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var start = timeProvider.GetTimestamp();

        // Never disposed, on purpose: it owns no timer or wait handle (the timer below is separate), so there is nothing
        // to release, and a timer callback that fires while the call ends can still cancel it safely.
        var deadline = new CancellationTokenSource();
        var link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), deadline);
        Task<T> task;
        try
        {
            task = run(state, deadline.Token);
        }
        catch
        {
            link.Dispose();
            throw;
        }

        if (task.IsCompleted)
        {
            link.Dispose();
            return task;
        }

        var remaining = timeout - timeProvider.GetElapsedTime(start);
        return AwaitAsync(task, deadline, link, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, timeout, timeProvider, cancellationToken);
    }

    private static async Task<T> AwaitAsync<T>(Task<T> task, CancellationTokenSource deadline, CancellationTokenRegistration link, TimeSpan remaining, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using (link)
        await using (timeProvider.CreateTimer(static s => ((CancellationTokenSource)s!).Cancel(), deadline, remaining, Timeout.InfiniteTimeSpan))
        {
            try
            {
                return await task.ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutRejectedException($"The operation didn't complete within the allowed timeout of '{timeout}'.", timeout, e);
            }
        }
    }
}

namespace InferenceService.Runtime.Batching;

/// <summary>
/// Wakes the single scheduler loop. Anyone may <see cref="Set"/>; only the loop calls <see cref="Reset"/> and then
/// <see cref="WaitAsync"/>. The loop resets before it looks at the state, so a Set that races with the reset is either
/// seen in that look or wakes the next wait: no wake-up is lost.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => Volatile.Read(ref _current).TrySetResult();

    public void Reset()
    {
        if (Volatile.Read(ref _current).Task.IsCompleted)
        {
            Volatile.Write(ref _current, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    public Task WaitAsync() => Volatile.Read(ref _current).Task;
}

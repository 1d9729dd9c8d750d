namespace InferenceService.Runtime.Inference;

/// <summary>
/// Requests one caller submits together (the texts of one text request, each its own batcher request, so that each
/// can join the batch of its own length). While the group is open a batcher queues its members without running one
/// inline and without waking its loop; closing the group wakes each such batcher once. Otherwise the first member would
/// run alone on the caller's thread before the next is even submitted, and an idle loop would dispatch the members
/// piecemeal as they arrive. A member that reaches a batcher after the close (a layer in between went asynchronous)
/// is treated as any request.
/// </summary>
internal sealed class SubmissionGroup : IDisposable
{
    private readonly Lock _gate = new();

    // The wakes to run at the close, one per batcher; null once closed.
    private List<Action>? _wakes = [];

    /// <summary>Whether members may still defer (the caller is still submitting).</summary>
    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _wakes is not null;
            }
        }
    }

    /// <summary>
    /// Call after the member is queued: runs <paramref name="wake"/> at the close, or returns false when the group is
    /// already closed (the caller then wakes its loop itself). Queued first, deferred second, so no member is left
    /// unwoken whichever way it races with the close.
    /// </summary>
    public bool TryDefer(Action wake)
    {
        lock (_gate)
        {
            if (_wakes is null)
            {
                return false;
            }

            if (!_wakes.Contains(wake))
            {
                _wakes.Add(wake);
            }

            return true;
        }
    }

    /// <summary>Closes the group and wakes every batcher a member deferred; idempotent.</summary>
    public void Dispose()
    {
        List<Action>? wakes;
        lock (_gate)
        {
            wakes = _wakes;
            _wakes = null;
        }

        foreach (var wake in wakes ?? [])
        {
            wake();
        }
    }
}

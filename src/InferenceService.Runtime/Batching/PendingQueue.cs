namespace InferenceService.Runtime.Batching;

/// <summary>
/// The requests the scheduler loop has taken off the channel, one FIFO per priority level. Only the loop touches it,
/// so it needs no lock. Requests that left by timeout or cancellation are unlinked via <see cref="Remove"/> or skipped.
/// </summary>
internal sealed class PendingQueue
{
    private readonly LinkedList<QueuedRequest>[] _levels;

    public PendingQueue(int levelCount)
    {
        _levels = new LinkedList<QueuedRequest>[levelCount];
        for (var i = 0; i < levelCount; i++)
        {
            _levels[i] = new LinkedList<QueuedRequest>();
        }
    }

    public void Add(QueuedRequest request) => request.Node = _levels[request.Level].AddLast(request);

    public void Remove(QueuedRequest request)
    {
        if (request.Node is { } node)
        {
            _levels[request.Level].Remove(node);
            request.Node = null;
        }
    }

    /// <summary>Unlinks and returns everything (shutdown).</summary>
    public List<QueuedRequest> RemoveAll()
    {
        var all = new List<QueuedRequest>();
        foreach (var level in _levels)
        {
            foreach (var request in level)
            {
                request.Node = null;
                all.Add(request);
            }

            level.Clear();
        }

        return all;
    }

    /// <summary>
    /// The batch that would go next, following Triton: it starts with the oldest request of the highest level (the head)
    /// and takes the requests with the head's shape key in priority then FIFO order, up to <paramref name="cap"/> items,
    /// stopping at the first one that does not fit. A request of another shape does not stop the scan within its level,
    /// but no lower level is consulted after one was skipped, so a lower priority never overtakes a higher one.
    /// Null when nothing is queued.
    /// </summary>
    public BatchCandidate? Peek(int cap, IReadOnlySet<int> preferredSizes)
    {
        List<QueuedRequest>? members = null;
        string? key = null;
        var items = 0;
        var preferredCount = 0;
        var full = false;
        long oldest = long.MaxValue;
        foreach (var level in _levels)
        {
            var skipped = false;
            var node = level.First;
            while (node is not null && !full)
            {
                var next = node.Next;
                var request = node.Value;
                if (!request.IsQueued)
                {
                    Remove(request);
                }
                else if (key is not null && request.Shape.Key != key)
                {
                    skipped = true;
                }
                else if (key is not null && items + request.Shape.Rows > cap)
                {
                    full = true;
                }
                else
                {
                    key ??= request.Shape.Key;
                    (members ??= []).Add(request);
                    items += request.Shape.Rows;
                    oldest = Math.Min(oldest, request.EnqueuedAt);
                    if (preferredSizes.Contains(items))
                    {
                        preferredCount = members.Count;
                    }

                    full = items >= cap;
                }

                node = next;
            }

            if (full || skipped)
            {
                break;
            }
        }

        return members is null ? null : new BatchCandidate(members, items, preferredCount, full, oldest);
    }
}

namespace InferenceService.Runtime.Batching;

/// <summary>
/// The requests the scheduler loop has taken off the channel, one FIFO per priority level. Only the loop touches it,
/// so it needs no lock. Requests that left by timeout or cancellation are unlinked via <see cref="Remove"/> or skipped.
/// </summary>
internal sealed class PendingQueue
{
    /// <summary><see cref="PeekWithinBudget"/> chooses among at most this many times the cap of a level's oldest compatible requests.</summary>
    public const int WindowPerCap = 8;

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

    /// <summary>
    /// The batch that would go next under dynamic_batching.max_batch_tokens <paramref name="budget"/>. The head is the same
    /// as <see cref="Peek"/>'s and always goes, so every request is sent after at most as many batches as requests ahead
    /// of it. The rest is chosen, level by level, to keep padding low: first the compatible requests no longer than the
    /// batch's padded length so far, longest first (they pad nobody else and waste least themselves), then the longer ones,
    /// shortest first; each joins only if the batch stays within <paramref name="cap"/> items and rows × padded length
    /// within the budget, and one that does not is passed over (a shorter one may still fit), unlike Peek's stop at the
    /// first misfit. As in Peek, a lower level is consulted only if this one left no request behind (of another shape, or
    /// passed over), so a lower priority never overtakes a higher one. Members come in that order, so any leading part of
    /// them is within the budget too. Null when nothing is queued.
    /// </summary>
    public BatchCandidate? PeekWithinBudget(int cap, long budget, IReadOnlySet<int> preferredSizes)
    {
        // Bounds the work per call on a deep queue: the oldest requests of a level are chosen from, the rest wait their turn.
        var window = WindowPerCap * cap;
        QueuedRequest? head = null;
        var members = new List<QueuedRequest>();
        var compatible = new List<QueuedRequest>();
        var items = 0;
        long length = 0;
        var leftBehind = false;
        foreach (var level in _levels)
        {
            var skipped = false;
            compatible.Clear();
            for (var node = level.First; node is not null && !leftBehind;)
            {
                var next = node.Next;
                var request = node.Value;
                if (!request.IsQueued)
                {
                    Remove(request);
                }
                else if (head is null)
                {
                    head = request;
                    members.Add(request);
                    items = request.Shape.Rows;
                    length = request.Shape.Length;
                }
                else if (request.Shape.Key != head.Shape.Key)
                {
                    skipped = true;
                }
                else if (compatible.Count < window)
                {
                    compatible.Add(request);
                }
                else
                {
                    leftBehind = true;
                }

                node = next;
            }

            var padded = length;
            foreach (var request in compatible.Where(r => r.Shape.Length <= padded).OrderByDescending(r => r.Shape.Length)
                         .Concat(compatible.Where(r => r.Shape.Length > padded).OrderBy(r => r.Shape.Length)))
            {
                var longest = Math.Max(length, request.Shape.Length);
                if (items + request.Shape.Rows > cap || TokenBudget.Cost(items + request.Shape.Rows, longest) > budget)
                {
                    leftBehind = true;
                    continue;
                }

                members.Add(request);
                items += request.Shape.Rows;
                length = longest;
            }

            if (leftBehind || skipped || items >= cap)
            {
                break;
            }
        }

        if (head is null)
        {
            return null;
        }

        var preferredCount = 0;
        var counted = 0;
        var oldest = long.MaxValue;
        for (var i = 0; i < members.Count; i++)
        {
            counted += members[i].Shape.Rows;
            oldest = Math.Min(oldest, members[i].EnqueuedAt);
            if (preferredSizes.Contains(counted))
            {
                preferredCount = i + 1;
            }
        }

        // Cannot grow: a queued request was passed over, the cap is reached, or even one more row of this length would not fit.
        var full = leftBehind || items >= cap || TokenBudget.Cost(items + 1, length) > budget;
        return new BatchCandidate(members, items, preferredCount, full, oldest);
    }
}

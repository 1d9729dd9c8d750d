using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Caching;

/// <summary>
/// The service's response cache, shared by every model that opts in: least recently used _entries are evicted once the
/// answers held exceed <see cref="CapacityBytes"/>. Entries are the runner's output tensors, never mutated afterwards,
/// so a hit serialises to the same _bytes as the computed answer.
/// </summary>
public sealed class ResponseCache
{
    // Guards `_entries`, `_order` and `_bytes`; held only for dictionary and list updates.
    private readonly Lock _sync = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _order = new();
    private long _bytes;

    public ResponseCache(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    public long CapacityBytes { get; }

    public long Bytes
    {
        get
        {
            lock (_sync)
            {
                return _bytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(string key, out IReadOnlyList<Tensor> outputs)
    {
        lock (_sync)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                outputs = node.Value.Outputs;
                return true;
            }
        }

        outputs = [];
        return false;
    }

    /// <summary>Adds (or refreshes) an answer of <paramref name="size"/> _bytes; one larger than the whole cache is not kept.</summary>
    public void Add(string key, IReadOnlyList<Tensor> outputs, long size)
    {
        if (size > CapacityBytes)
        {
            return;
        }

        lock (_sync)
        {
            if (_entries.Remove(key, out var existing))
            {
                _order.Remove(existing);
                _bytes -= existing.Value.Size;
            }

            while (_bytes + size > CapacityBytes && _order.Last is { } oldest)
            {
                _order.RemoveLast();
                _entries.Remove(oldest.Value.Key);
                _bytes -= oldest.Value.Size;
            }

            _entries[key] = _order.AddFirst(new Entry(key, outputs, size));
            _bytes += size;
        }
    }

    /// <summary>Drops a model version's answers (it was unloaded); keys start with its prefix.</summary>
    public void RemoveByPrefix(string prefix)
    {
        lock (_sync)
        {
            for (var node = _order.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    _order.Remove(node);
                    _entries.Remove(node.Value.Key);
                    _bytes -= node.Value.Size;
                }

                node = next;
            }
        }
    }

    private sealed record Entry(string Key, IReadOnlyList<Tensor> Outputs, long Size);
}

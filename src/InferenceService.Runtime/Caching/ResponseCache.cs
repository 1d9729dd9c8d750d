using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Caching;

/// <summary>
/// The service's response cache, shared by every model that opts in: least recently used entries are evicted once the
/// answers held exceed <see cref="CapacityBytes"/>. Entries are the runner's output tensors, never mutated afterwards,
/// so a hit serialises to the same bytes as the computed answer.
/// </summary>
public sealed class ResponseCache
{
    // Guards `entries`, `order` and `bytes`; held only for dictionary and list updates.
    private readonly Lock sync = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> order = new();
    private long bytes;

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
            lock (sync)
            {
                return bytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (sync)
            {
                return entries.Count;
            }
        }
    }

    public bool TryGet(string key, out IReadOnlyList<Tensor> outputs)
    {
        lock (sync)
        {
            if (entries.TryGetValue(key, out var node))
            {
                order.Remove(node);
                order.AddFirst(node);
                outputs = node.Value.Outputs;
                return true;
            }
        }

        outputs = [];
        return false;
    }

    /// <summary>Adds (or refreshes) an answer of <paramref name="size"/> bytes; one larger than the whole cache is not kept.</summary>
    public void Add(string key, IReadOnlyList<Tensor> outputs, long size)
    {
        if (size > CapacityBytes)
        {
            return;
        }

        lock (sync)
        {
            if (entries.Remove(key, out var existing))
            {
                order.Remove(existing);
                bytes -= existing.Value.Size;
            }

            while (bytes + size > CapacityBytes && order.Last is { } oldest)
            {
                order.RemoveLast();
                entries.Remove(oldest.Value.Key);
                bytes -= oldest.Value.Size;
            }

            entries[key] = order.AddFirst(new Entry(key, outputs, size));
            bytes += size;
        }
    }

    /// <summary>Drops a model version's answers (it was unloaded); keys start with its prefix.</summary>
    public void RemoveByPrefix(string prefix)
    {
        lock (sync)
        {
            for (var node = order.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    order.Remove(node);
                    entries.Remove(node.Value.Key);
                    bytes -= node.Value.Size;
                }

                node = next;
            }
        }
    }

    private sealed record Entry(string Key, IReadOnlyList<Tensor> Outputs, long Size);
}

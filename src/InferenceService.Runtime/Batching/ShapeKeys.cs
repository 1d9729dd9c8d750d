using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace InferenceService.Runtime.Batching;

/// <summary>
/// The shape keys one model has seen, so that a request of a known shape reuses the key's string instead of allocating
/// it again. Bounded: keys come from requests (fixed dims of an unvalidated request can be anything), so past
/// <see cref="Capacity"/> distinct keys a new one is simply allocated each time, as before.
/// </summary>
internal sealed class ShapeKeys
{
    internal const int Capacity = 256;

    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int _count;

    public ShapeKeys() => _lookup = _keys.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The key written so far in <paramref name="key"/>, as a string; clears the handler.</summary>
    public string Intern(ref DefaultInterpolatedStringHandler key)
    {
        if (_lookup.TryGetValue(key.Text, out var known))
        {
            key.Clear();
            return known;
        }

        var text = key.ToStringAndClear();
        if (Volatile.Read(ref _count) < Capacity && _keys.TryAdd(text, text))
        {
            Interlocked.Increment(ref _count);
        }

        return text;
    }
}

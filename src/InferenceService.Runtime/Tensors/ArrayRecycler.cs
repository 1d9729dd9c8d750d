using System.Runtime.CompilerServices;

namespace InferenceService.Runtime.Tensors;

/// <summary>
/// Keeps the large arrays a batch was done with (its concatenated inputs, the engine's outputs before splitting) for the
/// next batch that needs the same element type and length, so a saturated model stops allocating them: arrays from
/// 85 KB up live on the large object heap, and allocating them batch after batch drives gen-2 collections.
/// </summary>
/// <remarks>
/// Exact lengths, because a <see cref="Tensor"/>'s array holds exactly its elements; at saturation batches repeat their
/// shapes. Arrays under <see cref="MinBytes"/> are not worth a lock: rented fresh, dropped when returned. At most
/// <c>capacity</c> arrays and <c>maxBytes</c> are kept; keeping another drops the oldest. A rented array's contents are
/// unspecified (a recycled array holds the last batch's values): the renter overwrites every element. An array is
/// rented by one owner at a time: it is removed from the recycler when rented and must not be used after it is returned
/// (returning an array the recycler already holds throws, which catches a double return). Forgetting to return one
/// costs an allocation later, nothing else. Thread-safe.
/// </remarks>
internal sealed class ArrayRecycler(int capacity, long maxBytes = ArrayRecycler.DefaultMaxBytes, int minBytes = ArrayRecycler.MinBytes)
{
    /// <summary>Below this an array is a cheap gen-0 allocation.</summary>
    public const int MinBytes = 64 * 1024;

    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    private readonly Lock _lock = new();

    // Oldest first. Guarded by _lock.
    private readonly List<(Array Array, long Bytes)> _kept = [];
    private long _keptBytes;
    private long _reused;

    /// <summary>How many arrays are kept now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _kept.Count;
            }
        }
    }

    /// <summary>How many rents were served with a kept array.</summary>
    public long Reused => Interlocked.Read(ref _reused);

    /// <summary>An array of exactly <paramref name="length"/> elements: a kept one if there is one, else a new one.</summary>
    public T[] Rent<T>(int length)
        where T : unmanaged
    {
        if ((long)length * Unsafe.SizeOf<T>() >= minBytes)
        {
            lock (_lock)
            {
                // Newest first: the likeliest to be warm in cache. Match the exact type: the CLR lets a long[] pass as a ulong[].
                for (var i = _kept.Count - 1; i >= 0; i--)
                {
                    var (array, bytes) = _kept[i];
                    if (array.GetType() == typeof(T[]) && array.Length == length)
                    {
                        _kept.RemoveAt(i);
                        _keptBytes -= bytes;
                        _reused++;
                        return (T[])array;
                    }
                }
            }
        }

        return GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>Takes back the array of a tensor its owner is done with; arrays too small or too big, and BYTES, are dropped.</summary>
    public void Return(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var bytes = (long)tensor.ElementCount * tensor.DataType.ElementSize();
        if (tensor.DataType == TensorDataType.Bytes || bytes < minBytes || bytes > maxBytes || capacity <= 0)
        {
            return;
        }

        var array = tensor.Data;
        lock (_lock)
        {
            foreach (var (kept, _) in _kept)
            {
                if (ReferenceEquals(kept, array))
                {
                    throw new InvalidOperationException("An array was returned to the recycler twice: one of its owners still uses it.");
                }
            }

            _kept.Add((array, bytes));
            _keptBytes += bytes;
            while (_kept.Count > capacity || _keptBytes > maxBytes)
            {
                _keptBytes -= _kept[0].Bytes;
                _kept.RemoveAt(0);
            }
        }
    }
}

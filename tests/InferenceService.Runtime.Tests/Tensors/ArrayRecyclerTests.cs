using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Tests.Tensors;

public sealed class ArrayRecyclerTests
{
    private const int Large = ArrayRecycler.MinBytes / sizeof(float);

    [Fact]
    public void Rent_AfterReturn_GivesTheReturnedArray()
    {
        var recycler = new ArrayRecycler(capacity: 4);
        var first = recycler.Rent<float>(Large);
        recycler.Return(Fp32(first));

        Assert.Same(first, recycler.Rent<float>(Large));
        Assert.Equal(1, recycler.Reused);
        Assert.Equal(0, recycler.Count);
    }

    [Fact]
    public void Rent_WhileTheOnlyArrayIsRented_GivesAnotherArray()
    {
        var recycler = new ArrayRecycler(capacity: 4);
        var kept = recycler.Rent<float>(Large);
        recycler.Return(Fp32(kept));

        var first = recycler.Rent<float>(Large);
        var second = recycler.Rent<float>(Large);

        Assert.Same(kept, first);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void Return_SameArrayTwice_Throws()
    {
        var recycler = new ArrayRecycler(capacity: 4);
        var array = recycler.Rent<float>(Large);
        recycler.Return(Fp32(array));

        Assert.Throws<InvalidOperationException>(() => recycler.Return(Fp32(array)));
    }

    [Fact]
    public void Rent_OtherLengthOrLookAlikeType_GivesNewArray()
    {
        var recycler = new ArrayRecycler(capacity: 4);
        var longs = recycler.Rent<long>(Large);
        recycler.Return(new Tensor("x", TensorDataType.Int64, [longs.Length], longs));

        // The CLR lets a long[] pass as a ulong[]: the recycler must not.
        Assert.NotSame(longs, recycler.Rent<ulong>(Large));
        Assert.NotSame(longs, recycler.Rent<long>(Large + 1));
        Assert.Same(longs, recycler.Rent<long>(Large));
    }

    [Fact]
    public void Return_BeyondCapacity_DropsTheOldest()
    {
        var recycler = new ArrayRecycler(capacity: 2);
        var arrays = Enumerable.Range(0, 3).Select(_ => recycler.Rent<float>(Large)).ToList();
        foreach (var array in arrays)
        {
            recycler.Return(Fp32(array));
        }

        Assert.Equal(2, recycler.Count);
        var rented = new[] { recycler.Rent<float>(Large), recycler.Rent<float>(Large), recycler.Rent<float>(Large) };
        Assert.Same(arrays[2], rented[0]);
        Assert.Same(arrays[1], rented[1]);
        // By reference: xUnit compares arrays by content, and a fresh array is as zero as the dropped one.
        Assert.DoesNotContain(arrays, a => ReferenceEquals(a, rented[2]));
    }

    [Fact]
    public void Return_SmallArray_IsNotKept()
    {
        var recycler = new ArrayRecycler(capacity: 4);
        var small = recycler.Rent<float>(16);
        recycler.Return(Fp32(small));

        Assert.Equal(0, recycler.Count);
        Assert.NotSame(small, recycler.Rent<float>(16));
    }

    [Fact]
    public async Task RentAndReturn_ManyThreads_NoArrayHeldByTwoRentersAtOnce()
    {
        var recycler = new ArrayRecycler(capacity: 3, minBytes: 0);
        var owners = new System.Collections.Concurrent.ConcurrentDictionary<float[], int>(ReferenceEqualityComparer.Instance);
        var clashes = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var array = recycler.Rent<float>(64);
                if (!owners.TryAdd(array, worker))
                {
                    Interlocked.Increment(ref clashes);
                }

                array[0] = worker;
                await Task.Yield();
                if (array[0] != worker)
                {
                    Interlocked.Increment(ref clashes);
                }

                owners.TryRemove(array, out _);
                recycler.Return(Fp32(array));
            }
        })));

        Assert.Equal(0, clashes);
        Assert.True(recycler.Reused > 0, "the recycler never reused an array");
    }

    private static Tensor Fp32(float[] data) => new("x", TensorDataType.Fp32, [data.Length], data);
}

using InferenceService.Runtime.Caching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Tests.Caching;

public sealed class ResponseCacheTests
{
    private static readonly IReadOnlyList<Tensor> Answer = [Tensor.Create("y", TensorDataType.Fp32, [1], new[] { 1f })];

    [Fact]
    public void Add_OverCapacity_EvictsTheLeastRecentlyUsed()
    {
        var cache = new ResponseCache(capacityBytes: 100);
        cache.Add("a", Answer, 40);
        cache.Add("b", Answer, 40);
        Assert.True(cache.TryGet("a", out _));

        cache.Add("c", Answer, 40);

        Assert.True(cache.TryGet("a", out _));
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("c", out _));
        Assert.Equal(80, cache.Bytes);
    }

    [Fact]
    public void Add_LargerThanTheCache_IsNotKept()
    {
        var cache = new ResponseCache(capacityBytes: 100);
        cache.Add("a", Answer, 40);

        cache.Add("huge", Answer, 101);

        Assert.False(cache.TryGet("huge", out _));
        Assert.True(cache.TryGet("a", out _));
    }

    [Fact]
    public void Hash_DifferentRequestedOutputsOrBytes_GiveDifferentKeys()
    {
        var x = Tensor.Create("x", TensorDataType.Fp32, [2], new[] { 1f, 2f });
        var all = new InferenceRequest { Inputs = [x] };
        var same = new InferenceRequest { Inputs = [Tensor.Create("x", TensorDataType.Fp32, [2], new[] { 1f, 2f })] };
        var oneOutput = new InferenceRequest { Inputs = [x], Outputs = ["y"] };
        var otherBytes = new InferenceRequest { Inputs = [Tensor.Create("x", TensorDataType.Fp32, [2], new[] { 1f, 3f })] };
        var otherShape = new InferenceRequest { Inputs = [Tensor.Create("x", TensorDataType.Fp32, [1, 2], new[] { 1f, 2f })] };

        Assert.Equal(CachingRunner.Hash(all), CachingRunner.Hash(same));
        Assert.NotEqual(CachingRunner.Hash(all), CachingRunner.Hash(oneOutput));
        Assert.NotEqual(CachingRunner.Hash(all), CachingRunner.Hash(otherBytes));
        Assert.NotEqual(CachingRunner.Hash(all), CachingRunner.Hash(otherShape));
    }
}

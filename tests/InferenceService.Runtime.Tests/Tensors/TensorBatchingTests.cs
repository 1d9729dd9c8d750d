using InferenceService.Runtime.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Runtime.Tests.Tensors;

public sealed class TensorBatchingTests
{
    public static TheoryData<TensorDataType> AllTypes() => [.. Enum.GetValues<TensorDataType>()];

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Concat_ThenSlice_RoundTripsEveryDataType(TensorDataType type)
    {
        var short1 = Make(type, "x", [1, 2], 1);
        var long2 = Make(type, "x", [2, 3], 10);

        var batch = TensorBatching.Concat([short1, long2], [3], padValue: 0);
        var back1 = TensorBatching.Slice(batch, 0, 1, [2]);
        var back2 = TensorBatching.Slice(batch, 1, 2, [3]);

        Assert.Equal([3L, 3], batch.Shape);
        Assert.Equal(type, batch.DataType);
        Assert.Equal(short1.Data, back1.Data);
        Assert.Equal(long2.Data, back2.Data);
    }

    [Fact]
    public void Concat_ShorterRows_FillsThePaddingWithThePadValue()
    {
        var a = new Tensor("ids", TensorDataType.Int64, [1, 2], new long[] { 1, 2 });
        var b = new Tensor("ids", TensorDataType.Int64, [1, 4], new long[] { 3, 4, 5, 6 });

        var batch = TensorBatching.Concat([a, b], [4], padValue: 7);

        Assert.Equal([1L, 2, 7, 7, 3, 4, 5, 6], batch.As<long>());
    }

    [Fact]
    public void Concat_BytesTensor_PadsWithEmptyStrings()
    {
        var a = new Tensor("t", TensorDataType.Bytes, [1, 1], new[] { "a" });
        var b = new Tensor("t", TensorDataType.Bytes, [1, 2], new[] { "b", "c" });

        var batch = TensorBatching.Concat([a, b], [2], padValue: 0);

        Assert.Equal(["a", "", "b", "c"], batch.As<string>());
    }

    [Fact]
    public void Slice_MiddleAxisOfRank3_CropsEveryRowAndKeepsTheLastAxis()
    {
        // [2 rows, 3 positions, 2 features] with value = row * 100 + position * 10 + feature.
        var data = new float[12];
        for (var r = 0; r < 2; r++)
        {
            for (var p = 0; p < 3; p++)
            {
                for (var f = 0; f < 2; f++)
                {
                    data[(r * 6) + (p * 2) + f] = (r * 100) + (p * 10) + f;
                }
            }
        }

        var slice = TensorBatching.Slice(new Tensor("h", TensorDataType.Fp32, [2, 3, 2], data), 0, 2, [2, 2]);

        Assert.Equal([2L, 2, 2], slice.Shape);
        Assert.Equal([0f, 1, 10, 11, 100, 101, 110, 111], slice.As<float>());
    }

    [Fact]
    public void Concat_PartLongerThanItemShape_Throws()
    {
        var a = new Tensor("x", TensorDataType.Fp32, [1, 3], new float[3]);

        Assert.Throws<ArgumentException>(() => TensorBatching.Concat([a], [2], padValue: 0));
    }

    private static Tensor Make(TensorDataType type, string name, long[] shape, int seed)
    {
        var count = (int)(shape[0] * shape[1]);
        Array data = type switch
        {
            TensorDataType.Bool => Enumerable.Range(seed, count).Select(i => i % 2 == 1).ToArray(),
            TensorDataType.UInt8 => Enumerable.Range(seed, count).Select(i => (byte)i).ToArray(),
            TensorDataType.UInt16 => Enumerable.Range(seed, count).Select(i => (ushort)i).ToArray(),
            TensorDataType.UInt32 => Enumerable.Range(seed, count).Select(i => (uint)i).ToArray(),
            TensorDataType.UInt64 => Enumerable.Range(seed, count).Select(i => (ulong)i).ToArray(),
            TensorDataType.Int8 => Enumerable.Range(seed, count).Select(i => (sbyte)i).ToArray(),
            TensorDataType.Int16 => Enumerable.Range(seed, count).Select(i => (short)i).ToArray(),
            TensorDataType.Int32 => Enumerable.Range(seed, count).ToArray(),
            TensorDataType.Int64 => Enumerable.Range(seed, count).Select(i => (long)i).ToArray(),
            TensorDataType.Fp16 => Enumerable.Range(seed, count).Select(i => (Float16)(float)i).ToArray(),
            TensorDataType.Bf16 => Enumerable.Range(seed, count).Select(i => (BFloat16)(float)i).ToArray(),
            TensorDataType.Fp32 => Enumerable.Range(seed, count).Select(i => (float)i).ToArray(),
            TensorDataType.Fp64 => Enumerable.Range(seed, count).Select(i => (double)i).ToArray(),
            TensorDataType.Bytes => Enumerable.Range(seed, count).Select(i => $"s{i}").ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        return new Tensor(name, type, shape, data);
    }
}

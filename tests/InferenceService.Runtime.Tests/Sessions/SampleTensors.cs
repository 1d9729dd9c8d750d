using InferenceService.Runtime.Tensors;
using Microsoft.ML.OnnxRuntime;
using Tensor = InferenceService.Runtime.Tensors.Tensor;

namespace InferenceService.Runtime.Tests.Sessions;

/// <summary>Four values per datatype, the type's extremes among them, so a conversion that narrows or reorders shows.</summary>
internal static class SampleTensors
{
    public static TheoryData<TensorDataType> AllTypes() => [.. Enum.GetValues<TensorDataType>()];

    public static Tensor Of(TensorDataType type, string name)
    {
        Array data = type switch
        {
            TensorDataType.Bool => new[] { true, false, false, true },
            TensorDataType.UInt8 => new byte[] { 0, 1, 128, byte.MaxValue },
            TensorDataType.UInt16 => new ushort[] { 0, 1, 32768, ushort.MaxValue },
            TensorDataType.UInt32 => new uint[] { 0, 1, 1u << 31, uint.MaxValue },
            TensorDataType.UInt64 => new ulong[] { 0, 1, 1ul << 63, ulong.MaxValue },
            TensorDataType.Int8 => new sbyte[] { sbyte.MinValue, -1, 0, sbyte.MaxValue },
            TensorDataType.Int16 => new short[] { short.MinValue, -1, 0, short.MaxValue },
            TensorDataType.Int32 => new[] { int.MinValue, -1, 0, int.MaxValue },
            TensorDataType.Int64 => new[] { long.MinValue, -1, 0, long.MaxValue },
            TensorDataType.Fp16 => new[] { (Float16)(-2.5f), (Float16)0f, (Float16)0.125f, (Float16)65504f },
            TensorDataType.Bf16 => new[] { (BFloat16)(-2.5f), (BFloat16)0f, (BFloat16)0.125f, (BFloat16)1e30f },
            TensorDataType.Fp32 => new[] { -2.5f, 0f, float.Epsilon, float.MaxValue },
            TensorDataType.Fp64 => new[] { -2.5, 0.0, double.Epsilon, double.MaxValue },
            TensorDataType.Bytes => new[] { string.Empty, "a", "héllo", "two words" },
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
        return new Tensor(name, type, [4], data);
    }
}

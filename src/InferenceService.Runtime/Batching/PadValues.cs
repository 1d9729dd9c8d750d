using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Batching;

/// <summary>Whether a config's pad_value (a JSON number) is exactly representable in an input's data type.</summary>
internal static class PadValues
{
    public static bool Fits(TensorDataType type, double value) => type switch
    {
        TensorDataType.Bool => value is 0 or 1,
        TensorDataType.UInt8 => IsIntegerIn(value, byte.MinValue, byte.MaxValue),
        TensorDataType.UInt16 => IsIntegerIn(value, ushort.MinValue, ushort.MaxValue),
        TensorDataType.UInt32 => IsIntegerIn(value, uint.MinValue, uint.MaxValue),
        TensorDataType.UInt64 => IsIntegerIn(value, 0, 18446744073709549568.0),
        TensorDataType.Int8 => IsIntegerIn(value, sbyte.MinValue, sbyte.MaxValue),
        TensorDataType.Int16 => IsIntegerIn(value, short.MinValue, short.MaxValue),
        TensorDataType.Int32 => IsIntegerIn(value, int.MinValue, int.MaxValue),
        TensorDataType.Int64 => IsIntegerIn(value, -9223372036854775808.0, 9223372036854774784.0),
        TensorDataType.Fp16 or TensorDataType.Bf16 or TensorDataType.Fp32 => float.IsFinite((float)value),
        TensorDataType.Fp64 => double.IsFinite(value),

        // BYTES pads with the empty string whatever the number.
        TensorDataType.Bytes => true,
        _ => false,
    };

    private static bool IsIntegerIn(double value, double min, double max) => Math.Floor(value) == value && value >= min && value <= max;
}

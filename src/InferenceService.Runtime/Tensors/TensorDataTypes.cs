using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceService.Runtime.Tensors;

/// <summary>Names, element types and sizes of the Open Inference Protocol data types.</summary>
public static class TensorDataTypes
{
    private static readonly Dictionary<string, TensorDataType> ByName = new(StringComparer.Ordinal)
    {
        ["BOOL"] = TensorDataType.Bool,
        ["UINT8"] = TensorDataType.UInt8,
        ["UINT16"] = TensorDataType.UInt16,
        ["UINT32"] = TensorDataType.UInt32,
        ["UINT64"] = TensorDataType.UInt64,
        ["INT8"] = TensorDataType.Int8,
        ["INT16"] = TensorDataType.Int16,
        ["INT32"] = TensorDataType.Int32,
        ["INT64"] = TensorDataType.Int64,
        ["FP16"] = TensorDataType.Fp16,
        ["BF16"] = TensorDataType.Bf16,
        ["FP32"] = TensorDataType.Fp32,
        ["FP64"] = TensorDataType.Fp64,
        ["BYTES"] = TensorDataType.Bytes,
    };

    public static string AllNames { get; } = string.Join(", ", ByName.Keys);

    public static bool TryParse(string? name, out TensorDataType type) => ByName.TryGetValue(name ?? string.Empty, out type);

    public static string ToWireName(this TensorDataType type) => type switch
    {
        TensorDataType.Bool => "BOOL",
        TensorDataType.UInt8 => "UINT8",
        TensorDataType.UInt16 => "UINT16",
        TensorDataType.UInt32 => "UINT32",
        TensorDataType.UInt64 => "UINT64",
        TensorDataType.Int8 => "INT8",
        TensorDataType.Int16 => "INT16",
        TensorDataType.Int32 => "INT32",
        TensorDataType.Int64 => "INT64",
        TensorDataType.Fp16 => "FP16",
        TensorDataType.Bf16 => "BF16",
        TensorDataType.Fp32 => "FP32",
        TensorDataType.Fp64 => "FP64",
        TensorDataType.Bytes => "BYTES",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The CLR element type used to hold the data (<see cref="Tensor.Data"/> is an array of it).</summary>
    public static Type ElementType(this TensorDataType type) => type switch
    {
        TensorDataType.Bool => typeof(bool),
        TensorDataType.UInt8 => typeof(byte),
        TensorDataType.UInt16 => typeof(ushort),
        TensorDataType.UInt32 => typeof(uint),
        TensorDataType.UInt64 => typeof(ulong),
        TensorDataType.Int8 => typeof(sbyte),
        TensorDataType.Int16 => typeof(short),
        TensorDataType.Int32 => typeof(int),
        TensorDataType.Int64 => typeof(long),
        TensorDataType.Fp16 => typeof(Float16),
        TensorDataType.Bf16 => typeof(BFloat16),
        TensorDataType.Fp32 => typeof(float),
        TensorDataType.Fp64 => typeof(double),
        TensorDataType.Bytes => typeof(string),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Bytes per element, or 0 for variable-size BYTES.</summary>
    public static int ElementSize(this TensorDataType type) => type switch
    {
        TensorDataType.Bool or TensorDataType.UInt8 or TensorDataType.Int8 => 1,
        TensorDataType.UInt16 or TensorDataType.Int16 or TensorDataType.Fp16 or TensorDataType.Bf16 => 2,
        TensorDataType.UInt32 or TensorDataType.Int32 or TensorDataType.Fp32 => 4,
        TensorDataType.UInt64 or TensorDataType.Int64 or TensorDataType.Fp64 => 8,
        TensorDataType.Bytes => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryFromOnnx(TensorElementType type, out TensorDataType result)
    {
        result = type switch
        {
            TensorElementType.Bool => TensorDataType.Bool,
            TensorElementType.UInt8 => TensorDataType.UInt8,
            TensorElementType.UInt16 => TensorDataType.UInt16,
            TensorElementType.UInt32 => TensorDataType.UInt32,
            TensorElementType.UInt64 => TensorDataType.UInt64,
            TensorElementType.Int8 => TensorDataType.Int8,
            TensorElementType.Int16 => TensorDataType.Int16,
            TensorElementType.Int32 => TensorDataType.Int32,
            TensorElementType.Int64 => TensorDataType.Int64,
            TensorElementType.Float16 => TensorDataType.Fp16,
            TensorElementType.BFloat16 => TensorDataType.Bf16,
            TensorElementType.Float => TensorDataType.Fp32,
            TensorElementType.Double => TensorDataType.Fp64,
            TensorElementType.String => TensorDataType.Bytes,
            _ => (TensorDataType)(-1),
        };
        return (int)result >= 0;
    }
}

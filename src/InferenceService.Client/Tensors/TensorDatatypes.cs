namespace InferenceService.Client;

/// <summary>The Open Inference Protocol's datatype names and the .NET element type that holds each.</summary>
internal static class TensorDatatypes
{
    public const string Bool = "BOOL";
    public const string UInt8 = "UINT8";
    public const string UInt16 = "UINT16";
    public const string UInt32 = "UINT32";
    public const string UInt64 = "UINT64";
    public const string Int8 = "INT8";
    public const string Int16 = "INT16";
    public const string Int32 = "INT32";
    public const string Int64 = "INT64";
    public const string Fp16 = "FP16";
    public const string Fp32 = "FP32";
    public const string Fp64 = "FP64";
    public const string Bytes = "BYTES";

    public const string Supported = "bool, byte, ushort, uint, ulong, sbyte, short, int, long, Half, float, double, string";

    /// <summary>The datatype of a .NET element type; null for a type the protocol has no name for.</summary>
    public static string? NameOf(Type elementType) =>
        elementType == typeof(float) ? Fp32
        : elementType == typeof(long) ? Int64
        : elementType == typeof(int) ? Int32
        : elementType == typeof(double) ? Fp64
        : elementType == typeof(string) ? Bytes
        : elementType == typeof(bool) ? Bool
        : elementType == typeof(byte) ? UInt8
        : elementType == typeof(sbyte) ? Int8
        : elementType == typeof(short) ? Int16
        : elementType == typeof(ushort) ? UInt16
        : elementType == typeof(uint) ? UInt32
        : elementType == typeof(ulong) ? UInt64
        : elementType == typeof(Half) ? Fp16
        : null;

    /// <summary>Bytes per element in the binary encoding; 0 for BYTES (variable) and for unknown names.</summary>
    public static int SizeOf(string datatype) => datatype switch
    {
        Bool or UInt8 or Int8 => 1,
        UInt16 or Int16 or Fp16 => 2,
        UInt32 or Int32 or Fp32 => 4,
        UInt64 or Int64 or Fp64 => 8,
        _ => 0,
    };

    /// <summary>Whether this client can hold the datatype's elements (BF16 has no .NET type).</summary>
    public static bool IsKnown(string datatype) => datatype == Bytes || SizeOf(datatype) > 0;
}

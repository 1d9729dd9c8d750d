using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Runtime.Protocol;

/// <summary>
/// The binary tensor data extension's element encoding: fixed-size types as little-endian raw bytes (BOOL one byte),
/// BYTES as a 4-byte little-endian length followed by the bytes, for each element.
/// </summary>
public static class BinaryTensorData
{
    /// <summary>Decodes <paramref name="bytes"/> as <paramref name="count"/> elements; a length that doesn't add up is a 400.</summary>
    public static Array Decode(TensorDataType type, int count, ReadOnlySpan<byte> bytes, string where)
    {
        if (type == TensorDataType.Bytes)
        {
            return DecodeStrings(count, bytes, where);
        }

        var size = type.ElementSize();
        if ((long)count * size != bytes.Length)
        {
            throw InferenceException.BadRequest($"{where}: {count} {type.ToWireName()} elements need {(long)count * size} bytes, binary data has {bytes.Length}.");
        }

        return type switch
        {
            TensorDataType.Bool => DecodeBools(bytes, where),
            TensorDataType.UInt8 => bytes.ToArray(),
            TensorDataType.UInt16 => Cast<ushort>(bytes),
            TensorDataType.UInt32 => Cast<uint>(bytes),
            TensorDataType.UInt64 => Cast<ulong>(bytes),
            TensorDataType.Int8 => Cast<sbyte>(bytes),
            TensorDataType.Int16 => Cast<short>(bytes),
            TensorDataType.Int32 => Cast<int>(bytes),
            TensorDataType.Int64 => Cast<long>(bytes),
            TensorDataType.Fp16 => Cast<Float16>(bytes),
            TensorDataType.Bf16 => Cast<BFloat16>(bytes),
            TensorDataType.Fp32 => Cast<float>(bytes),
            TensorDataType.Fp64 => Cast<double>(bytes),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
    }

    /// <summary>
    /// The same from a body in pieces (as a server receives it): fixed-size elements other than BOOL are copied once,
    /// straight into the new array; the rest are decoded from a contiguous copy.
    /// </summary>
    public static Array Decode(TensorDataType type, int count, ReadOnlySequence<byte> bytes, string where)
    {
        if (bytes.IsSingleSegment)
        {
            return Decode(type, count, bytes.FirstSpan, where);
        }

        var size = type.ElementSize();
        if (type is TensorDataType.Bytes or TensorDataType.Bool || (long)count * size != bytes.Length)
        {
            return Decode(type, count, bytes.ToArray(), where);
        }

        return type switch
        {
            TensorDataType.UInt8 => bytes.ToArray(),
            TensorDataType.UInt16 => Gather<ushort>(count, bytes),
            TensorDataType.UInt32 => Gather<uint>(count, bytes),
            TensorDataType.UInt64 => Gather<ulong>(count, bytes),
            TensorDataType.Int8 => Gather<sbyte>(count, bytes),
            TensorDataType.Int16 => Gather<short>(count, bytes),
            TensorDataType.Int32 => Gather<int>(count, bytes),
            TensorDataType.Int64 => Gather<long>(count, bytes),
            TensorDataType.Fp16 => Gather<Float16>(count, bytes),
            TensorDataType.Bf16 => Gather<BFloat16>(count, bytes),
            TensorDataType.Fp32 => Gather<float>(count, bytes),
            TensorDataType.Fp64 => Gather<double>(count, bytes),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
    }

    /// <summary>Writes the tensor's elements in the extension's encoding.</summary>
    public static void Encode(Tensor tensor, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(output);
        switch (tensor.Data)
        {
            case string[] strings:
                // string[] and bool[] have no same-size look-alikes, so matching the array is safe here.
                foreach (var s in strings)
                {
                    var length = Encoding.UTF8.GetByteCount(s);
                    var span = output.GetSpan(4 + length);
                    BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)length);
                    Encoding.UTF8.GetBytes(s, span[4..]);
                    output.Advance(4 + length);
                }

                break;
            case bool[] bools:
                var target = output.GetSpan(bools.Length);
                for (var i = 0; i < bools.Length; i++)
                {
                    target[i] = bools[i] ? (byte)1 : (byte)0;
                }

                output.Advance(bools.Length);
                break;
            default:
                output.Write(RawBytes(tensor));
                break;
        }
    }

    /// <summary>The encoded size of the tensor in bytes.</summary>
    public static long SizeOf(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.Data is string[] strings ? strings.Sum(s => 4L + Encoding.UTF8.GetByteCount(s)) : (long)tensor.ElementCount * tensor.DataType.ElementSize();
    }

    private static ReadOnlySpan<byte> RawBytes(Tensor tensor) => tensor.DataType switch
    {
        TensorDataType.UInt8 => (byte[])tensor.Data,
        TensorDataType.Int8 => MemoryMarshal.AsBytes(((sbyte[])tensor.Data).AsSpan()),
        TensorDataType.UInt16 => MemoryMarshal.AsBytes(((ushort[])tensor.Data).AsSpan()),
        TensorDataType.Int16 => MemoryMarshal.AsBytes(((short[])tensor.Data).AsSpan()),
        TensorDataType.UInt32 => MemoryMarshal.AsBytes(((uint[])tensor.Data).AsSpan()),
        TensorDataType.Int32 => MemoryMarshal.AsBytes(((int[])tensor.Data).AsSpan()),
        TensorDataType.UInt64 => MemoryMarshal.AsBytes(((ulong[])tensor.Data).AsSpan()),
        TensorDataType.Int64 => MemoryMarshal.AsBytes(((long[])tensor.Data).AsSpan()),
        TensorDataType.Fp32 => MemoryMarshal.AsBytes(((float[])tensor.Data).AsSpan()),
        TensorDataType.Fp64 => MemoryMarshal.AsBytes(((double[])tensor.Data).AsSpan()),
        TensorDataType.Fp16 => MemoryMarshal.AsBytes(((Float16[])tensor.Data).AsSpan()),
        TensorDataType.Bf16 => MemoryMarshal.AsBytes(((BFloat16[])tensor.Data).AsSpan()),
        _ => throw new NotSupportedException(tensor.DataType.ToString()),
    };

    // The wire format is little-endian; so is every platform ONNX Runtime ships for.
    private static T[] Cast<T>(ReadOnlySpan<byte> bytes)
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(bytes).ToArray();

    // Every element is overwritten by the copy, so the array need not be zeroed first.
    private static T[] Gather<T>(int count, ReadOnlySequence<byte> bytes)
        where T : unmanaged
    {
        var result = GC.AllocateUninitializedArray<T>(count);
        bytes.CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    private static bool[] DecodeBools(ReadOnlySpan<byte> bytes, string where)
    {
        var result = new bool[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            result[i] = bytes[i] switch
            {
                0 => false,
                1 => true,
                _ => throw InferenceException.BadRequest($"{where}: BOOL element {i} is byte {bytes[i]}, expected 0 or 1."),
            };
        }

        return result;
    }

    private static string[] DecodeStrings(int count, ReadOnlySpan<byte> bytes, string where)
    {
        var result = new string[count];
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            if (bytes.Length - offset < 4)
            {
                throw InferenceException.BadRequest($"{where}: BYTES element {i} needs a 4-byte length, only {bytes.Length - offset} bytes are left.");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[offset..]);
            offset += 4;
            if (length > (uint)(bytes.Length - offset))
            {
                throw InferenceException.BadRequest($"{where}: BYTES element {i} declares {length} bytes, only {bytes.Length - offset} are left.");
            }

            result[i] = Encoding.UTF8.GetString(bytes.Slice(offset, (int)length));
            offset += (int)length;
        }

        if (offset != bytes.Length)
        {
            throw InferenceException.BadRequest($"{where}: {count} BYTES elements use {offset} bytes, binary data has {bytes.Length}.");
        }

        return result;
    }
}

using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace InferenceService.Client;

/// <summary>
/// The binary tensor data extension's element encoding (Triton's, used by REST binary bodies and gRPC raw contents):
/// fixed-size types as little-endian raw bytes, BOOL one byte, BYTES a 4-byte little-endian length and the bytes.
/// </summary>
internal static class BinaryTensorCodec
{
    /// <summary>The encoded size in bytes (the <c>binary_data_size</c> to announce).</summary>
    public static long SizeOf(InferTensor tensor) =>
        tensor.Data is string[] strings
            ? strings.Sum(s => 4L + Encoding.UTF8.GetByteCount(s))
            : (long)tensor.Data.Length * TensorDatatypes.SizeOf(tensor.Datatype);

    public static void Encode(InferTensor tensor, IBufferWriter<byte> output)
    {
        RequireLittleEndian();
        switch (tensor.Data)
        {
            case string[] strings:
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

    /// <summary>Decodes <paramref name="count"/> elements of <paramref name="datatype"/>; bytes that don't add up are an <see cref="InvalidDataException"/>.</summary>
    public static Array Decode(string datatype, int count, ReadOnlySpan<byte> bytes, string name)
    {
        RequireLittleEndian();
        if (datatype == TensorDatatypes.Bytes)
        {
            return DecodeStrings(count, bytes, name);
        }

        var size = TensorDatatypes.SizeOf(datatype);
        if (size == 0)
        {
            throw new NotSupportedException($"Output '{name}' is {datatype}, which this client cannot hold; supported: {TensorDatatypes.Supported}.");
        }

        if ((long)count * size != bytes.Length)
        {
            throw new InvalidDataException($"Output '{name}': {count} {datatype} elements need {(long)count * size} bytes, the response has {bytes.Length}.");
        }

        return datatype switch
        {
            TensorDatatypes.Bool => DecodeBools(bytes),
            TensorDatatypes.UInt8 => bytes.ToArray(),
            TensorDatatypes.UInt16 => MemoryMarshal.Cast<byte, ushort>(bytes).ToArray(),
            TensorDatatypes.UInt32 => MemoryMarshal.Cast<byte, uint>(bytes).ToArray(),
            TensorDatatypes.UInt64 => MemoryMarshal.Cast<byte, ulong>(bytes).ToArray(),
            TensorDatatypes.Int8 => MemoryMarshal.Cast<byte, sbyte>(bytes).ToArray(),
            TensorDatatypes.Int16 => MemoryMarshal.Cast<byte, short>(bytes).ToArray(),
            TensorDatatypes.Int32 => MemoryMarshal.Cast<byte, int>(bytes).ToArray(),
            TensorDatatypes.Int64 => MemoryMarshal.Cast<byte, long>(bytes).ToArray(),
            TensorDatatypes.Fp16 => MemoryMarshal.Cast<byte, Half>(bytes).ToArray(),
            TensorDatatypes.Fp32 => MemoryMarshal.Cast<byte, float>(bytes).ToArray(),
            TensorDatatypes.Fp64 => MemoryMarshal.Cast<byte, double>(bytes).ToArray(),
            _ => throw new NotSupportedException(datatype),
        };
    }

    private static ReadOnlySpan<byte> RawBytes(InferTensor tensor) => tensor.Data switch
    {
        // Matched on the array; InferTensor.Create only ever stores the datatype's own array type.
        byte[] a => a,
        sbyte[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        ushort[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        short[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        uint[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        int[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        ulong[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        long[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        Half[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        float[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        double[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        _ => throw new NotSupportedException($"Tensor '{tensor.Name}' holds {tensor.Data.GetType().Name}."),
    };

    private static bool[] DecodeBools(ReadOnlySpan<byte> bytes)
    {
        var result = new bool[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            result[i] = bytes[i] != 0;
        }

        return result;
    }

    private static string[] DecodeStrings(int count, ReadOnlySpan<byte> bytes, string name)
    {
        var result = new string[count];
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            if (bytes.Length - offset < 4)
            {
                throw new InvalidDataException($"Output '{name}': BYTES element {i} needs a 4-byte length, {bytes.Length - offset} bytes are left.");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[offset..]);
            offset += 4;
            if (length > (uint)(bytes.Length - offset))
            {
                throw new InvalidDataException($"Output '{name}': BYTES element {i} declares {length} bytes, {bytes.Length - offset} are left.");
            }

            result[i] = Encoding.UTF8.GetString(bytes.Slice(offset, (int)length));
            offset += (int)length;
        }

        return offset == bytes.Length
            ? result
            : throw new InvalidDataException($"Output '{name}': {count} BYTES elements use {offset} bytes, the response has {bytes.Length}.");
    }

    // The wire is little-endian; reinterpreting memory is only right on a little-endian machine (every .NET target today).
    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The binary tensor encoding needs a little-endian machine.");
        }
    }
}

using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Runtime.Tensors;

/// <summary>
/// Concatenation along the batch dim (with padding of the other dims) and the inverse slice, for every data type.
/// Work is typed span copies of the longest contiguous runs: no per-element boxing.
/// </summary>
internal static class TensorBatching
{
    /// <summary>
    /// Stacks <paramref name="parts"/> (same name, type and rank; shapes [b_i, d...]) into [Σb_i, <paramref name="itemShape"/>...].
    /// Each part's dims must not exceed <paramref name="itemShape"/>; the rest is filled with <paramref name="padValue"/>
    /// (converted to the data type; BYTES pads with the empty string). With <paramref name="buffers"/>, the result's array
    /// (not BYTES) is rented from it: the caller returns it once nothing reads the result any more.
    /// </summary>
    public static Tensor Concat(IReadOnlyList<Tensor> parts, ReadOnlySpan<long> itemShape, double padValue, ArrayRecycler? buffers = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("nothing to concatenate.", nameof(parts));
        }

        var first = parts[0];
        long rows = 0;
        var padded = false;
        foreach (var part in parts)
        {
            if (part.DataType != first.DataType || part.Shape.Length != itemShape.Length + 1)
            {
                throw new ArgumentException($"cannot batch {part} with {first} into item shape {TensorShape.Format(itemShape)}.", nameof(parts));
            }

            for (var axis = 1; axis < part.Shape.Length; axis++)
            {
                if (part.Shape[axis] > itemShape[axis - 1])
                {
                    throw new ArgumentException($"{part} does not fit item shape {TensorShape.Format(itemShape)}.", nameof(parts));
                }

                padded |= part.Shape[axis] != itemShape[axis - 1];
            }

            rows += part.Shape[0];
        }

        var shape = new long[itemShape.Length + 1];
        shape[0] = rows;
        itemShape.CopyTo(shape.AsSpan(1));
        if (!TensorShape.TryGetElementCount(shape, out var count))
        {
            throw new ArgumentException($"batched shape {TensorShape.Format(shape)} is too large.", nameof(parts));
        }

        // Switch on the declared type, not the array: the CLR lets a long[] pass as ulong[] (and int[] as uint[], ...).
        Array data = first.DataType switch
        {
            TensorDataType.Bool => ConcatTyped(parts, shape, padded, padValue != 0, Allocate<bool>(count, buffers)),
            TensorDataType.UInt8 => ConcatTyped(parts, shape, padded, checked((byte)padValue), Allocate<byte>(count, buffers)),
            TensorDataType.UInt16 => ConcatTyped(parts, shape, padded, checked((ushort)padValue), Allocate<ushort>(count, buffers)),
            TensorDataType.UInt32 => ConcatTyped(parts, shape, padded, checked((uint)padValue), Allocate<uint>(count, buffers)),
            TensorDataType.UInt64 => ConcatTyped(parts, shape, padded, checked((ulong)padValue), Allocate<ulong>(count, buffers)),
            TensorDataType.Int8 => ConcatTyped(parts, shape, padded, checked((sbyte)padValue), Allocate<sbyte>(count, buffers)),
            TensorDataType.Int16 => ConcatTyped(parts, shape, padded, checked((short)padValue), Allocate<short>(count, buffers)),
            TensorDataType.Int32 => ConcatTyped(parts, shape, padded, checked((int)padValue), Allocate<int>(count, buffers)),
            TensorDataType.Int64 => ConcatTyped(parts, shape, padded, checked((long)padValue), Allocate<long>(count, buffers)),
            TensorDataType.Fp16 => ConcatTyped(parts, shape, padded, (Float16)(float)padValue, Allocate<Float16>(count, buffers)),
            TensorDataType.Bf16 => ConcatTyped(parts, shape, padded, (BFloat16)(float)padValue, Allocate<BFloat16>(count, buffers)),
            TensorDataType.Fp32 => ConcatTyped(parts, shape, padded, (float)padValue, Allocate<float>(count, buffers)),
            TensorDataType.Fp64 => ConcatTyped(parts, shape, padded, padValue, Allocate<double>(count, buffers)),
            TensorDataType.Bytes => ConcatTyped(parts, shape, padded: true, string.Empty, new string[count]),
            _ => throw new ArgumentException($"unsupported data type {first.DataType}.", nameof(parts)),
        };
        return new Tensor(first.Name, first.DataType, shape, data);
    }

    /// <summary>
    /// Rows [<paramref name="startRow"/>, +<paramref name="rowCount"/>) of <paramref name="batch"/>, each cropped to
    /// <paramref name="itemShape"/> (every dim at most the batch's): the inverse of <see cref="Concat"/>.
    /// </summary>
    public static Tensor Slice(Tensor batch, long startRow, long rowCount, ReadOnlySpan<long> itemShape)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Shape.Length != itemShape.Length + 1 || startRow < 0 || rowCount < 0 || startRow + rowCount > batch.Shape[0])
        {
            throw new ArgumentException($"cannot take rows {startRow}..{startRow + rowCount} of item shape {TensorShape.Format(itemShape)} from {batch}.", nameof(batch));
        }

        var shape = new long[itemShape.Length + 1];
        shape[0] = rowCount;
        itemShape.CopyTo(shape.AsSpan(1));
        for (var axis = 1; axis < shape.Length; axis++)
        {
            if (shape[axis] > batch.Shape[axis] || shape[axis] < 0)
            {
                throw new ArgumentException($"item shape {TensorShape.Format(itemShape)} does not fit in {batch}.", nameof(batch));
            }
        }

        _ = TensorShape.TryGetElementCount(shape, out var count);
        Array data = batch.DataType switch
        {
            TensorDataType.Bool => SliceTyped((bool[])batch.Data, batch.Shape, startRow, shape, count),
            TensorDataType.UInt8 => SliceTyped((byte[])batch.Data, batch.Shape, startRow, shape, count),
            TensorDataType.UInt16 => SliceTyped((ushort[])batch.Data, batch.Shape, startRow, shape, count),
            TensorDataType.UInt32 => SliceTyped((uint[])batch.Data, batch.Shape, startRow, shape, count),
            TensorDataType.UInt64 => SliceTyped((ulong[])batch.Data, batch.Shape, startRow, shape, count),
            TensorDataType.Int8 => SliceTyped((sbyte[])batch.Data, batch.Shape, startRow, shape, count),
            TensorDataType.Int16 => SliceTyped((short[])batch.Data, batch.Shape, startRow, shape, count),
            TensorDataType.Int32 => SliceTyped((int[])batch.Data, batch.Shape, startRow, shape, count),
            TensorDataType.Int64 => SliceTyped((long[])batch.Data, batch.Shape, startRow, shape, count),
            TensorDataType.Fp16 => SliceTyped((Float16[])batch.Data, batch.Shape, startRow, shape, count),
            TensorDataType.Bf16 => SliceTyped((BFloat16[])batch.Data, batch.Shape, startRow, shape, count),
            TensorDataType.Fp32 => SliceTyped((float[])batch.Data, batch.Shape, startRow, shape, count),
            TensorDataType.Fp64 => SliceTyped((double[])batch.Data, batch.Shape, startRow, shape, count),
            TensorDataType.Bytes => SliceTyped((string[])batch.Data, batch.Shape, startRow, shape, count),
            _ => throw new ArgumentException($"unsupported data type {batch.DataType}.", nameof(batch)),
        };
        return new Tensor(batch.Name, batch.DataType, shape, data);
    }

    private static T[] Allocate<T>(int count, ArrayRecycler? buffers)
        where T : unmanaged => buffers?.Rent<T>(count) ?? new T[count];

    /// <summary>Fills <paramref name="result"/> entirely: padding first when there is any, else the parts tile it exactly.</summary>
    private static T[] ConcatTyped<T>(IReadOnlyList<Tensor> parts, long[] shape, bool padded, T padValue, T[] result)
    {
        if (padded)
        {
            result.AsSpan().Fill(padValue);
        }

        long row = 0;
        foreach (var part in parts)
        {
            CopyRegion((T[])part.Data, part.Shape, 0, result, shape, row, part.Shape);
            row += part.Shape[0];
        }

        return result;
    }

    private static T[] SliceTyped<T>(T[] source, long[] sourceShape, long startRow, long[] shape, int count)
    {
        var result = new T[count];
        CopyRegion(source, sourceShape, startRow, result, shape, 0, shape);
        return result;
    }

    /// <summary>
    /// Copies the box <paramref name="extent"/> (rank r) from <paramref name="source"/> starting at row <paramref name="sourceRow"/>
    /// to <paramref name="destination"/> starting at row <paramref name="destinationRow"/>; every other axis starts at 0.
    /// Trailing axes that are whole in both arrays are merged into one contiguous run.
    /// </summary>
    private static void CopyRegion<T>(T[] source, long[] sourceShape, long sourceRow, T[] destination, long[] destinationShape, long destinationRow, long[] extent)
    {
        foreach (var dim in extent)
        {
            if (dim == 0)
            {
                return;
            }
        }

        var rank = extent.Length;
        var axis = rank - 1;
        long run = 1;
        while (axis > 0 && sourceShape[axis] == extent[axis] && destinationShape[axis] == extent[axis])
        {
            run *= extent[axis];
            axis--;
        }

        // Axes after `axis` are whole, so `extent[axis]` consecutive sub-blocks are contiguous in both arrays.
        run *= extent[axis];
        Span<long> sourceStrides = stackalloc long[rank];
        Span<long> destinationStrides = stackalloc long[rank];
        Strides(sourceShape, sourceStrides);
        Strides(destinationShape, destinationStrides);
        var sourceBase = sourceRow * sourceStrides[0];
        var destinationBase = destinationRow * destinationStrides[0];
        if (axis == 0)
        {
            source.AsSpan(checked((int)sourceBase), checked((int)run)).CopyTo(destination.AsSpan(checked((int)destinationBase), checked((int)run)));
            return;
        }

        // Odometer over the outer axes [0, axis).
        Span<long> index = stackalloc long[axis];
        index.Clear();
        var length = checked((int)run);
        while (true)
        {
            long sourceOffset = sourceBase;
            long destinationOffset = destinationBase;
            for (var a = 0; a < axis; a++)
            {
                sourceOffset += index[a] * sourceStrides[a];
                destinationOffset += index[a] * destinationStrides[a];
            }

            source.AsSpan((int)sourceOffset, length).CopyTo(destination.AsSpan((int)destinationOffset, length));
            var carry = axis - 1;
            while (carry >= 0 && ++index[carry] == extent[carry])
            {
                index[carry] = 0;
                carry--;
            }

            if (carry < 0)
            {
                return;
            }
        }
    }

    private static void Strides(long[] shape, Span<long> strides)
    {
        long stride = 1;
        for (var axis = shape.Length - 1; axis >= 0; axis--)
        {
            strides[axis] = stride;
            stride *= shape[axis];
        }
    }
}

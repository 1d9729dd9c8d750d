using InferenceService.Runtime.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = InferenceService.Runtime.Tensors.Tensor;

namespace InferenceService.Runtime.Sessions;

/// <summary>Tensor ⇄ OrtValue. Inputs pin the managed arrays (no copy); outputs are copied out before the OrtValue is disposed.</summary>
internal static class OrtTensorConverter
{
    public static OrtValue ToOrtValue(Tensor tensor) => tensor.DataType switch
    {
        TensorDataType.Bool => Pin<bool>(tensor),
        TensorDataType.UInt8 => Pin<byte>(tensor),
        TensorDataType.UInt16 => Pin<ushort>(tensor),
        TensorDataType.UInt32 => Pin<uint>(tensor),
        TensorDataType.UInt64 => Pin<ulong>(tensor),
        TensorDataType.Int8 => Pin<sbyte>(tensor),
        TensorDataType.Int16 => Pin<short>(tensor),
        TensorDataType.Int32 => Pin<int>(tensor),
        TensorDataType.Int64 => Pin<long>(tensor),
        TensorDataType.Fp16 => Pin<Float16>(tensor),
        TensorDataType.Bf16 => Pin<BFloat16>(tensor),
        TensorDataType.Fp32 => Pin<float>(tensor),
        TensorDataType.Fp64 => Pin<double>(tensor),
        TensorDataType.Bytes => Strings(tensor),
        _ => throw new ArgumentOutOfRangeException(nameof(tensor), tensor.DataType, null),
    };

    /// <summary>Copies the output into managed arrays: new ones, or with <paramref name="buffers"/> rented from it (not BYTES).</summary>
    public static Tensor FromOrtValue(string name, OrtValue value, ArrayRecycler? buffers = null)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        if (!TensorDataTypes.TryFromOnnx(info.ElementDataType, out var type))
        {
            throw new NotSupportedException($"Output '{name}' has element type {info.ElementDataType}, which the V2 protocol cannot carry.");
        }

        Array data = type switch
        {
            TensorDataType.Bool => Copy<bool>(value, buffers),
            TensorDataType.UInt8 => Copy<byte>(value, buffers),
            TensorDataType.UInt16 => Copy<ushort>(value, buffers),
            TensorDataType.UInt32 => Copy<uint>(value, buffers),
            TensorDataType.UInt64 => Copy<ulong>(value, buffers),
            TensorDataType.Int8 => Copy<sbyte>(value, buffers),
            TensorDataType.Int16 => Copy<short>(value, buffers),
            TensorDataType.Int32 => Copy<int>(value, buffers),
            TensorDataType.Int64 => Copy<long>(value, buffers),
            TensorDataType.Fp16 => Copy<Float16>(value, buffers),
            TensorDataType.Bf16 => Copy<BFloat16>(value, buffers),
            TensorDataType.Fp32 => Copy<float>(value, buffers),
            TensorDataType.Fp64 => Copy<double>(value, buffers),
            TensorDataType.Bytes => value.GetStringTensorAsArray(),
            _ => throw new NotSupportedException(type.ToString()),
        };
        return new Tensor(name, type, shape, data);
    }

    private static OrtValue Pin<T>(Tensor tensor)
        where T : unmanaged => OrtValue.CreateTensorValueFromMemory((T[])tensor.Data, tensor.Shape);

    private static OrtValue Strings(Tensor tensor)
    {
        var strings = (string[])tensor.Data;
        var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, tensor.Shape);
        for (var i = 0; i < strings.Length; i++)
        {
            value.StringTensorSetElementAt(strings[i].AsSpan(), i);
        }

        return value;
    }

    private static T[] Copy<T>(OrtValue value, ArrayRecycler? buffers)
        where T : unmanaged
    {
        var source = value.GetTensorDataAsSpan<T>();
        if (buffers is null)
        {
            return source.ToArray();
        }

        var copy = buffers.Rent<T>(source.Length);
        source.CopyTo(copy);
        return copy;
    }
}

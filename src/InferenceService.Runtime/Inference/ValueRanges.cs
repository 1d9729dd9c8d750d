using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Inference;

/// <summary>
/// The values an integer input may hold. An id outside an embedding table fails the engine for the whole batch it
/// is in, so such requests are refused up front, naming the input and the value.
/// </summary>
public sealed record ValueRanges(IReadOnlyDictionary<string, (long Min, long Max)> ByInput)
{
    public static ValueRanges None { get; } = new(new Dictionary<string, (long, long)>());

    public static bool IsInteger(TensorDataType type) => type is TensorDataType.Int8 or TensorDataType.Int16 or TensorDataType.Int32 or TensorDataType.Int64
        or TensorDataType.UInt8 or TensorDataType.UInt16 or TensorDataType.UInt32 or TensorDataType.UInt64;

    /// <summary>Throws a 400 for the first value of <paramref name="input"/> outside its range.</summary>
    public void Check(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!ByInput.TryGetValue(input.Name, out var range))
        {
            return;
        }

        var index = input.Data switch
        {
            long[] values => Array.FindIndex(values, v => v < range.Min || v > range.Max),
            int[] values => Array.FindIndex(values, v => v < range.Min || v > range.Max),
            short[] values => Array.FindIndex(values, v => v < range.Min || v > range.Max),
            sbyte[] values => Array.FindIndex(values, v => v < range.Min || v > range.Max),
            byte[] values => Array.FindIndex(values, v => v < range.Min || v > range.Max),
            ushort[] values => Array.FindIndex(values, v => v < range.Min || v > range.Max),
            uint[] values => Array.FindIndex(values, v => v < range.Min || v > range.Max),
            ulong[] values => Array.FindIndex(values, v => v > (ulong)Math.Max(0, range.Max) || (range.Min > 0 && v < (ulong)range.Min)),
            _ => -1,
        };
        if (index >= 0)
        {
            throw InferenceException.BadRequest(
                $"Input '{input.Name}' holds {input.Data.GetValue(index)} at flat index {index}; its values must be from {range.Min} to {range.Max}.");
        }
    }
}

using System.Globalization;

namespace InferenceService.Client;

/// <summary>
/// A named tensor as the Open Inference Protocol carries it: a datatype (<c>FP32</c>, <c>INT64</c>, …), a shape and
/// the elements in row-major order as a typed array (<c>float[]</c> for FP32, <c>string[]</c> for BYTES, <c>Half[]</c>
/// for FP16, …). Used for inputs and outputs alike, over REST and gRPC.
/// </summary>
public sealed class InferTensor
{
    private readonly long[] _shape;

    private InferTensor(string name, string datatype, long[] shape, Array data)
    {
        Name = name;
        Datatype = datatype;
        _shape = shape;
        Data = data;
    }

    /// <summary>The input or output name.</summary>
    public string Name { get; }

    /// <summary>The protocol's datatype name, e.g. <c>FP32</c>.</summary>
    public string Datatype { get; }

    /// <summary>The dimensions; their product is the element count.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>The elements, row-major, in the array type of <see cref="Datatype"/>.</summary>
    public Array Data { get; }

    /// <summary>
    /// A tensor of <paramref name="data"/> with the datatype of <typeparamref name="T"/> (bool, byte, ushort, uint,
    /// ulong, sbyte, short, int, long, Half, float, double or string). The array is used as is, not copied.
    /// </summary>
    /// <exception cref="NotSupportedException">The protocol has no datatype for <typeparamref name="T"/>.</exception>
    /// <exception cref="ArgumentException">The shape does not hold exactly <c>data.Length</c> elements.</exception>
    public static InferTensor Create<T>(string name, long[] shape, T[] data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        var datatype = TensorDatatypes.NameOf(typeof(T))
            ?? throw new NotSupportedException($"No tensor datatype for {typeof(T).Name}; use one of: {TensorDatatypes.Supported}.");
        var count = ElementCount(shape, name);
        if (count != data.Length)
        {
            throw new ArgumentException($"Tensor '{name}': shape [{string.Join(",", shape)}] holds {count} elements, data has {data.Length}.", nameof(data));
        }

        return new InferTensor(name, datatype, (long[])shape.Clone(), data);
    }

    /// <summary>The elements as <typeparamref name="T"/>[] (float for FP32, long for INT64, string for BYTES, …).</summary>
    /// <exception cref="InvalidCastException">The tensor holds another element type.</exception>
    public T[] GetData<T>() =>
        // An exact type check: the runtime would also let an sbyte[] pass as a byte[].
        Data.GetType() == typeof(T[])
            ? (T[])Data
            : throw new InvalidCastException($"Tensor '{Name}' is {Datatype} ({Data.GetType().Name}), not {typeof(T).Name}[].");

    /// <inheritdoc />
    public override string ToString() => $"{Name} {Datatype}[{string.Join(",", _shape)}]";

    /// <summary>A tensor read from a response; <paramref name="data"/> already has the datatype's array type.</summary>
    internal static InferTensor FromWire(string name, string datatype, long[] shape, Array data) => new(name, datatype, shape, data);

    /// <summary>The element count of a shape, checked (no negative dims, no overflow past an array's length).</summary>
    internal static int ElementCount(IReadOnlyList<long> shape, string name)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Tensor '{name}': dimension {dim.ToString(CultureInfo.InvariantCulture)} is negative; shapes of data are concrete.", nameof(shape));
            }

            count *= dim;
            if (count > Array.MaxLength)
            {
                throw new ArgumentException($"Tensor '{name}': shape [{string.Join(",", shape)}] has more than {Array.MaxLength} elements.", nameof(shape));
            }
        }

        return (int)count;
    }
}

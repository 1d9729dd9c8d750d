namespace InferenceService.Runtime.Tensors;

/// <summary>
/// A named, typed, dense row-major tensor. <see cref="Data"/> is a one-dimensional array of
/// <see cref="TensorDataTypes.ElementType"/>; BYTES elements are strings.
/// </summary>
public sealed class Tensor
{
    public Tensor(string name, TensorDataType dataType, long[] shape, Array data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (data.GetType().GetElementType() != dataType.ElementType())
        {
            throw new ArgumentException($"{dataType.ToWireName()} data must be {dataType.ElementType().Name}[], got {data.GetType().Name}.", nameof(data));
        }

        if (!TensorShape.TryGetElementCount(shape, out var count) || count != data.Length)
        {
            throw new ArgumentException($"shape [{string.Join(",", shape)}] does not match {data.Length} elements.", nameof(shape));
        }

        Name = name;
        DataType = dataType;
        Shape = shape;
        Data = data;
    }

    public string Name { get; }

    public TensorDataType DataType { get; }

    public long[] Shape { get; }

    public Array Data { get; }

    public int ElementCount => Data.Length;

    public static Tensor Create<T>(string name, TensorDataType dataType, long[] shape, T[] data) => new(name, dataType, shape, data);

    public T[] As<T>() => Data as T[] ?? throw new InvalidOperationException($"Tensor '{Name}' holds {DataType.ToWireName()}, not {typeof(T).Name}.");

    public Tensor WithName(string name) => new(name, DataType, Shape, Data);

    public override string ToString() => $"{Name} {DataType.ToWireName()} [{string.Join(",", Shape)}]";
}

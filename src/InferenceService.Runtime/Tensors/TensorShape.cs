namespace InferenceService.Runtime.Tensors;

/// <summary>Shape arithmetic that never overflows silently.</summary>
public static class TensorShape
{
    /// <summary>The element count, or false when a dim is negative or the product exceeds <see cref="Array.MaxLength"/>.</summary>
    public static bool TryGetElementCount(ReadOnlySpan<long> shape, out int count)
    {
        long product = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                count = 0;
                return false;
            }

            if (dim != 0 && product > Array.MaxLength / dim)
            {
                count = 0;
                return false;
            }

            product *= dim;
        }

        count = (int)product;
        return true;
    }

    public static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(",", shape.ToArray()) + "]";
}

using System.Collections;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Tests.Batching;

internal static class TensorAssert
{
    /// <summary>Null when equal (FP32 within <paramref name="tolerance"/>, other types exactly), else what differs.</summary>
    public static string? Difference(Tensor expected, Tensor actual, float tolerance = 0)
    {
        if (expected.Name != actual.Name || expected.DataType != actual.DataType || !expected.Shape.SequenceEqual(actual.Shape))
        {
            return $"expected {expected}, got {actual}";
        }

        if (expected.Data is float[] e && actual.Data is float[] a)
        {
            for (var i = 0; i < e.Length; i++)
            {
                if (Math.Abs(e[i] - a[i]) > tolerance * Math.Max(1, Math.Abs(e[i])))
                {
                    return $"{expected.Name}[{i}]: expected {e[i]}, got {a[i]}";
                }
            }

            return null;
        }

        return StructuralComparisons.StructuralEqualityComparer.Equals(expected.Data, actual.Data) ? null : $"{expected.Name}: data differs";
    }

    public static void Equal(IReadOnlyList<Tensor> expected, IReadOnlyList<Tensor> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Null(Difference(expected[i], actual[i]));
        }
    }
}

using InferenceService.Runtime.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Runtime.Tests.Tensors;

public sealed class TensorTests
{
    [Fact]
    public void Tensor_HalfTypes_UseOnnxRuntimeStructs()
    {
        var tensor = new Tensor("h", TensorDataType.Fp16, [1], new[] { (Float16)1.0f });

        Assert.Equal(typeof(Float16), tensor.Data.GetType().GetElementType());
    }
}

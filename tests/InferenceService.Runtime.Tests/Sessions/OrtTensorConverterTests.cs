using InferenceService.Runtime.Sessions;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Tests.Sessions;

public sealed class OrtTensorConverterTests
{
    public static TheoryData<TensorDataType> AllTypes() => SampleTensors.AllTypes();

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void ToOrtValue_ThenFromOrtValue_RoundTripsEveryDataType(TensorDataType type)
    {
        var tensor = SampleTensors.Of(type, "t");

        using var value = OrtTensorConverter.ToOrtValue(tensor);
        var back = OrtTensorConverter.FromOrtValue("back", value);

        Assert.Equal("back", back.Name);
        Assert.Equal(type, back.DataType);
        Assert.Equal(tensor.Shape, back.Shape);
        Assert.Equal(tensor.Data, back.Data);
    }

    [Fact]
    public void ToOrtValue_NumericTensor_SharesTheCallersArrayInsteadOfCopying()
    {
        var data = new[] { 1f, 2f, 3f, 4f };
        var tensor = new Tensor("x", TensorDataType.Fp32, [2, 2], data);

        using var value = OrtTensorConverter.ToOrtValue(tensor);
        data[3] = 42f;

        Assert.Equal([1f, 2f, 3f, 42f], value.GetTensorDataAsSpan<float>().ToArray());
    }
}

using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>The shape key: independent of input order, one string per known shape, and still right past the cache's bound.</summary>
public sealed class BatchingModelDescribeTests
{
    private static BatchingModel Model(ModelConfig? config = null) =>
        new("text", config ?? TextModel.Config(new DynamicBatchingConfig()), TimeProvider.System);

    [Fact]
    public void Describe_InputsInEitherOrder_GiveTheSameKey()
    {
        var model = Model();
        var request = TextModel.Request(1, 5);
        var reversed = request with { Inputs = [request.Inputs[1], request.Inputs[0]] };

        Assert.Equal(model.Describe(request).Key, model.Describe(reversed).Key);
    }

    [Fact]
    public void Describe_LengthsDiffer_SameKeyAndTheLongestLength()
    {
        var model = Model();

        var short5 = model.Describe(TextModel.Request(1, 5));
        var long9 = model.Describe(TextModel.Request(2, 9));

        Assert.Equal(short5.Key, long9.Key);
        Assert.Equal((5L, 9L), (short5.Length, long9.Length));
    }

    [Fact]
    public void Describe_DuplicateInput_IsABadRequest()
    {
        var request = TextModel.Request(1, 5);
        var twice = request with { Inputs = [request.Inputs[0], request.Inputs[1], request.Inputs[0]] };

        var error = Assert.Throws<InferenceException>(() => Model().Describe(twice));

        Assert.Equal(InferenceErrorKind.BadRequest, error.Kind);
        Assert.Contains("given twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_KnownShape_ReusesTheKeyAndAllocatesLittleMoreThanTheShape()
    {
        var model = Model();
        var request = TextModel.Request(1, 5);
        var first = model.Describe(request);
        model.Describe(request);

        const int Calls = 1000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        RequestShape last = first;
        for (var i = 0; i < Calls; i++)
        {
            last = model.Describe(request);
        }

        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / Calls;

        Assert.Same(first.Key, last.Key);

        // The RequestShape itself is 48 bytes on x64; the key string alone would be more than that.
        Assert.True(perCall <= 64, $"{perCall} B per call");
    }

    [Fact]
    public void Describe_MoreShapesThanTheCacheHolds_KeysStayDistinctAndEqualPerShape()
    {
        // Fixed dims go into the key, and an unvalidated request may send any: 300 shapes overflow the cache's 256.
        var model = Model(new ModelConfig
        {
            MaxBatchSize = 8,
            Inputs = [new TensorConfig { Name = "x", Datatype = "FP32", Dims = [-1] }],
            Outputs = [new TensorConfig { Name = "y", Datatype = "FP32", Dims = [-1] }],
            DynamicBatching = new DynamicBatchingConfig(),
        });
        InferenceRequest Request(int dim) => new() { Inputs = [new Tensor("x", TensorDataType.Fp32, [1, 2, dim], new float[2 * dim])] };

        var keys = Enumerable.Range(1, ShapeKeys.Capacity + 44).Select(d => model.Describe(Request(d)).Key).ToList();
        var again = Enumerable.Range(1, ShapeKeys.Capacity + 44).Select(d => model.Describe(Request(d)).Key).ToList();

        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(keys, again);
    }
}

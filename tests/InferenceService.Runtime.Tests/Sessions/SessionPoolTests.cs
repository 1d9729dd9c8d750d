using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Tests.Sessions;

public sealed class SessionPoolTests : IDisposable
{
    private readonly ModelFolder _folder = new(TinyGraphs.AddOne());

    public static TheoryData<TensorDataType> AllTypes() => SampleTensors.AllTypes();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ExecuteAsync_AddOneModel_ReturnsXPlusOne()
    {
        using var pool = _folder.Open(TinyConfigs.AddOne());
        var x = new Tensor("x", TensorDataType.Fp32, [2, 4], new[] { 0f, 1f, -1f, 2.5f, 100f, -100f, 0.25f, 1e6f });

        var outputs = await pool.ExecuteAsync([x], ["y"], default);

        var y = Assert.Single(outputs);
        Assert.Equal("y", y.Name);
        Assert.Equal([2L, 4], y.Shape);
        Assert.Equal([1f, 2f, 0f, 3.5f, 101f, -99f, 1.25f, 1e6f + 1], y.As<float>());
    }

    [Fact]
    public async Task ExecuteAsync_ManyConcurrentRunsOnTwoInstances_EachGetsItsOwnAnswer()
    {
        using var pool = _folder.Open(TinyConfigs.AddOne(instances: 2));
        var inputs = Enumerable.Range(0, 64).Select(i => new[] { i, i * 10f, i * 100f, -i }).ToList();

        var answers = await Task.WhenAll(inputs.Select(data =>
            pool.ExecuteAsync([new Tensor("x", TensorDataType.Fp32, [1, 4], data)], ["y"], default)));

        for (var i = 0; i < inputs.Count; i++)
        {
            Assert.Equal(inputs[i].Select(v => v + 1), answers[i][0].As<float>());
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public async Task ExecuteAsync_IdentityGraph_ReturnsEveryDataTypeUnchanged(TensorDataType type)
    {
        using var folder = new ModelFolder(TinyGraphs.Identity(type));
        using var pool = folder.Open(TinyConfigs.Identity(type.ToWireName()));
        var input = SampleTensors.Of(type, "in");

        var outputs = await pool.ExecuteAsync([input], ["out"], default);

        Assert.Equal(type, outputs[0].DataType);
        Assert.Equal(input.Data, outputs[0].Data);
    }

    [Fact]
    public async Task ExecuteAsync_ShapeTheGraphRefuses_ThrowsBadRequest()
    {
        using var pool = _folder.Open(TinyConfigs.AddOne());
        var x = new Tensor("x", TensorDataType.Fp32, [1, 3], new[] { 1f, 2f, 3f });

        var error = await Assert.ThrowsAsync<InferenceException>(() => pool.ExecuteAsync([x], ["y"], default));

        Assert.Equal(InferenceErrorKind.BadRequest, error.Kind);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledBeforeAnInstanceIsFree_ThrowsOperationCanceled()
    {
        using var pool = _folder.Open(TinyConfigs.AddOne());
        var x = new Tensor("x", TensorDataType.Fp32, [1, 4], new[] { 1f, 2f, 3f, 4f });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pool.ExecuteAsync([x], ["y"], new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task ExecuteAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var pool = _folder.Open(TinyConfigs.AddOne());
        var x = new Tensor("x", TensorDataType.Fp32, [1, 4], new[] { 1f, 2f, 3f, 4f });
        pool.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.ExecuteAsync([x], ["y"], default));
    }
}

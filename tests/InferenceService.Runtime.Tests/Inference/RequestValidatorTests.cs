using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Tests.Inference;

public sealed class RequestValidatorTests
{
    private static readonly ModelConfig Text = new()
    {
        MaxBatchSize = 4,
        Inputs =
        [
            new TensorConfig { Name = "ids", Datatype = "INT64", Dims = [-1] },
            new TensorConfig { Name = "mask", Datatype = "INT64", Dims = [-1] },
        ],
        Outputs = [new TensorConfig { Name = "h", Datatype = "FP32", Dims = [-1, 2] }],
    };

    private static Tensor Ids(string name, long batch, long seq) => new(name, TensorDataType.Int64, [batch, seq], new long[batch * seq]);

    private static InferenceException Fails(params Tensor[] inputs) =>
        Assert.Throws<InferenceException>(() => RequestValidator.Validate("m", Text, inputs, null, null, null));

    [Fact]
    public void Validate_GoodRequest_OrdersInputsAsConfigured()
    {
        var request = RequestValidator.Validate("m", Text, [Ids("mask", 2, 3), Ids("ids", 2, 3)], ["h"], 1, null);

        Assert.Equal(["ids", "mask"], request.Inputs.Select(i => i.Name));
        Assert.Equal(["h"], request.Outputs);
    }

    [Fact]
    public void Validate_UnknownInput_ListsTheModelsInputs() =>
        Assert.Contains("has no input 'x'; its inputs are: ids, mask", Fails(Ids("x", 1, 1)).Message, StringComparison.Ordinal);

    [Fact]
    public void Validate_MissingInput_NamesIt() =>
        Assert.Contains("Missing input(s) mask", Fails(Ids("ids", 1, 1)).Message, StringComparison.Ordinal);

    [Fact]
    public void Validate_DuplicateInput_IsRefused() =>
        Assert.Contains("more than once", Fails(Ids("ids", 1, 1), Ids("ids", 1, 1), Ids("mask", 1, 1)).Message, StringComparison.Ordinal);

    [Fact]
    public void Validate_WrongDatatype_SaysExpected() =>
        Assert.Contains("expected datatype INT64, got FP32", Fails(new Tensor("ids", TensorDataType.Fp32, [1, 1], new float[1]), Ids("mask", 1, 1)).Message, StringComparison.Ordinal);

    [Fact]
    public void Validate_WrongRank_ShowsExpectedShape() =>
        Assert.Contains("expected shape [batch,-1]", Fails(new Tensor("ids", TensorDataType.Int64, [3], new long[3]), Ids("mask", 1, 3)).Message, StringComparison.Ordinal);

    [Fact]
    public void Validate_BatchOverMax_SaysTheLimit() =>
        Assert.Contains("max_batch_size 4", Fails(Ids("ids", 5, 1), Ids("mask", 5, 1)).Message, StringComparison.Ordinal);

    [Fact]
    public void Validate_BatchSizesDisagree_IsRefused() =>
        Assert.Contains("differs from the other inputs", Fails(Ids("ids", 2, 1), Ids("mask", 1, 1)).Message, StringComparison.Ordinal);

    [Fact]
    public void Validate_SharedVariableDimsDisagree_IsRefused() =>
        Assert.Contains("must have the same shape", Fails(Ids("ids", 1, 2), Ids("mask", 1, 3)).Message, StringComparison.Ordinal);

    [Fact]
    public void Validate_EmptySequence_IsRefused() =>
        Assert.Contains("size >= 1", Fails(Ids("ids", 1, 0), Ids("mask", 1, 0)).Message, StringComparison.Ordinal);

    [Fact]
    public void Validate_UnknownOutput_ListsOutputs()
    {
        var error = Assert.Throws<InferenceException>(() => RequestValidator.Validate("m", Text, [Ids("ids", 1, 1), Ids("mask", 1, 1)], ["z"], null, null));

        Assert.Contains("has no output 'z'; its outputs are: h", error.Message, StringComparison.Ordinal);
    }
}

using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Sessions;

namespace InferenceService.Runtime.Tests.Sessions;

/// <summary>The graph is <see cref="TinyGraphs.AddOne"/>: x and y FP32 [batch, 4].</summary>
public sealed class GraphConfigCheckerTests : IDisposable
{
    private readonly ModelFolder _folder = new(TinyGraphs.AddOne());

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Check_ConfigThatDescribesTheGraph_Passes()
    {
        var config = TinyConfigs.AddOne();
        using var pool = _folder.Open(config);

        GraphConfigChecker.Check(_folder.ConfigPath, config, pool);
    }

    [Fact]
    public void Check_InputDatatypeDiffers_ThrowsNamingTheDatatype()
    {
        var config = TinyConfigs.AddOne();
        using var pool = _folder.Open(config);

        var error = Check(config with { Inputs = [Tensor("x", "FP64", 4)] }, pool);

        Assert.Equal("inputs[0].datatype", error.Field);
        Assert.Contains("got FP64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OutputDatatypeDiffers_ThrowsNamingTheDatatype()
    {
        var config = TinyConfigs.AddOne();
        using var pool = _folder.Open(config);

        var error = Check(config with { Outputs = [Tensor("y", "INT64", 4)] }, pool);

        Assert.Equal("outputs[0].datatype", error.Field);
    }

    [Fact]
    public void Check_InputDimDiffers_ThrowsNamingTheDim()
    {
        var config = TinyConfigs.AddOne();
        using var pool = _folder.Open(config);

        var error = Check(config with { Inputs = [Tensor("x", "FP32", 5)] }, pool);

        Assert.Equal("inputs[0].dims[0]", error.Field);
        Assert.Contains("expected 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NonBatchingConfigOnABatchingGraph_ThrowsNamingTheDims()
    {
        var config = TinyConfigs.AddOne();
        using var pool = _folder.Open(config);

        var error = Check(config with { MaxBatchSize = 0 }, pool);

        Assert.Equal("inputs[0].dims", error.Field);
    }

    [Fact]
    public void Check_GraphInputNotDeclared_ThrowsNamingTheMissingInput()
    {
        var config = TinyConfigs.AddOne();
        using var pool = _folder.Open(config);

        var error = Check(config with { Inputs = [Tensor("z", "FP32", 4)] }, pool);

        Assert.Equal("inputs", error.Field);
        Assert.Contains("missing x", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OutputNotInTheGraph_ThrowsNamingItsName()
    {
        var config = TinyConfigs.AddOne();
        using var pool = _folder.Open(config);

        var error = Check(config with { Outputs = [Tensor("y", "FP32", 4), Tensor("logits", "FP32", 4)] }, pool);

        Assert.Equal("outputs[1].name", error.Field);
    }

    [Fact]
    public void Check_BatchingConfigOnAFixedBatchGraph_ThrowsNamingMaxBatchSize()
    {
        using var folder = new ModelFolder(TinyGraphs.AddOne(batch: 1));
        var config = TinyConfigs.AddOne();
        using var pool = folder.Open(config);

        var error = Check(config, pool);

        Assert.Equal("max_batch_size", error.Field);
    }

    private static TensorConfig Tensor(string name, string datatype, params long[] dims) => new() { Name = name, Datatype = datatype, Dims = dims };

    private ModelConfigException Check(ModelConfig config, SessionPool pool) =>
        Assert.Throws<ModelConfigException>(() => GraphConfigChecker.Check(_folder.ConfigPath, config, pool));
}

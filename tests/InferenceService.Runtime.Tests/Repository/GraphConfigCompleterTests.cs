using InferenceService.Runtime.Repository;
using InferenceService.Tests.Shared;
using Onnx;

namespace InferenceService.Runtime.Tests.Repository;

public sealed class GraphConfigCompleterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ForVersion_NoConfigSymbolicBatch_BatchesWithDefaultAndWorkConservingBatcher()
    {
        var (config, graph) = Complete(null, DropInGraphs.AddWeights([-1, 3]), defaultMaxBatchSize: 16);

        Assert.Equal(16, config.MaxBatchSize);
        var input = Assert.Single(config.Inputs);
        Assert.Equal(("x", "FP32"), (input.Name, input.Datatype));
        Assert.Equal([3L], input.Dims);
        Assert.Equal([3L], Assert.Single(config.Outputs).Dims);
        Assert.NotNull(config.DynamicBatching);
        Assert.Equal(0, config.DynamicBatching.MaxQueueDelayMicroseconds);
        Assert.Equal((DropInGraphs.Producer, "1.2.3", 17L, "add_weights", "a model dropped in"), (graph.ProducerName, graph.ProducerVersion, graph.Opset, graph.GraphName, graph.DocString));
    }

    [Fact]
    public void ForVersion_FixedFirstDim_DoesNotBatchAndKeepsTheFullShape()
    {
        var (config, _) = Complete(null, DropInGraphs.AddWeights([1, 3]));

        Assert.Equal(0, config.MaxBatchSize);
        Assert.Equal([1L, 3L], config.Inputs[0].Dims);
        Assert.Null(config.DynamicBatching);
    }

    [Fact]
    public void ForVersion_OtherSymbolicDims_BecomeMinusOne()
    {
        var (config, _) = Complete(null, DropInGraphs.AddWeights([-1, -1, 3]));

        Assert.Equal([-1L, 3L], config.Inputs[0].Dims);
    }

    [Fact]
    public void ForVersion_OnlyMaxBatchSizeAndPipeline_KeepsThemAndCompletesTheRest()
    {
        var (config, _) = Complete("""{ "max_batch_size": 5, "pipeline": { "kind": "none-yet" } }""", DropInGraphs.AddWeights([-1, 3]));

        Assert.Equal(5, config.MaxBatchSize);
        Assert.Equal("none-yet", config.Pipeline!.Value.GetProperty("kind").GetString());
        Assert.Equal("x", config.Inputs[0].Name);
        Assert.NotNull(config.DynamicBatching);
    }

    [Fact]
    public void ForVersion_ExplicitZeroMaxBatchSize_DoesNotBatch()
    {
        var (config, _) = Complete("""{ "max_batch_size": 0 }""", DropInGraphs.AddWeights([-1, 3]));

        Assert.Equal(0, config.MaxBatchSize);
        Assert.Equal([-1L, 3L], config.Inputs[0].Dims);
    }

    [Fact]
    public void ForVersion_FullShapeDimsWithoutMaxBatchSize_KeepTheirMeaning()
    {
        var (config, _) = Complete("""{ "inputs": [ { "name": "x", "datatype": "FP32", "dims": [-1, 3] } ] }""", DropInGraphs.AddWeights([-1, 3]));

        Assert.Equal(0, config.MaxBatchSize);
        Assert.Equal([-1L, 3L], config.Inputs[0].Dims);
        Assert.Equal([-1L, 3L], config.Outputs[0].Dims);
    }

    [Fact]
    public void ForVersion_CommentOnlyConfig_IsCompletedLikeNoConfig()
    {
        var (config, _) = Complete("// served from the graph\n", DropInGraphs.AddWeights([-1, 3]));

        Assert.Equal(GraphConfigCompleter.DefaultMaxBatchSize, config.MaxBatchSize);
    }

    [Theory]
    [InlineData("""{ "inputs": [ { "name": "z" } ] }""", "inputs[0].name: expected one of the graph's inputs: x, got \"z\"")]
    [InlineData("""{ "inputs": [ { "name": "x", "datatype": "INT64" } ] }""", "inputs[0].datatype: expected the graph's FP32 (FLOAT), got INT64")]
    [InlineData("""{ "inputs": [ { "name": "x", "datatype": "FP32", "dims": [4] } ] }""", "inputs[0].dims[0]: expected 3 (the graph's shape [-1,3]), got 4")]
    [InlineData("""{ "max_batch_size": 8, "inputs": [ { "name": "x", "dims": [1, 3] } ] }""", "inputs[0].dims: expected 1 dims")]
    public void ForVersion_ConfigContradictsGraph_ErrorNamesBothValues(string json, string expected)
    {
        var error = Assert.Throws<ModelConfigException>(() => Complete(json, DropInGraphs.AddWeights([-1, 3])));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForVersion_MaxBatchSizeOnFixedBatchGraph_ErrorNamesTheTensorAndItsDim()
    {
        var error = Assert.Throws<ModelConfigException>(() => Complete("""{ "max_batch_size": 4 }""", DropInGraphs.AddWeights([1, 3])));

        Assert.Contains("max_batch_size: expected 0, because the graph's 'x' has a fixed first dim 1", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("got 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForVersion_InputsGivenWithoutTypes_TypesAndDimsComeFromTheGraphAndPadValueStays()
    {
        var (config, _) = Complete("""{ "inputs": [ { "name": "x", "pad_value": 0.5 } ] }""", DropInGraphs.AddWeights([-1, -1, 3]));

        Assert.Equal(("FP32", 0.5), (config.Inputs[0].Datatype, config.Inputs[0].PadValue));
        Assert.Equal([-1L, 3L], config.Inputs[0].Dims);
    }

    [Fact]
    public void ForVersion_TypeV2CannotCarry_ErrorNamesTheOnnxType()
    {
        var graph = DropInGraphs.AddWeights([-1, 3], TensorProto.Types.DataType.Complex64);

        var error = Assert.Throws<ModelConfigException>(() => Complete(null, graph));

        Assert.Contains("graph inputs 'x': expected a datatype the V2 protocol carries", error.Message, StringComparison.Ordinal);
        Assert.Contains("got ONNX COMPLEX64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForVersion_ExternalDataFileMissing_ErrorNamesTheFile()
    {
        _temp.Write("m/1/placeholder", string.Empty);
        File.WriteAllBytes(Path.Combine(_temp.Path, "m", "1", "model.onnx"), DropInGraphs.AddWeights([-1, 3], externalData: "weights.bin"));

        var error = Assert.Throws<ModelConfigException>(() => GraphConfigCompleter.ForVersion(ModelConfigLoader.LoadDraft(Path.Combine(_temp.Path, "m")), Path.Combine(_temp.Path, "m"), Path.Combine(_temp.Path, "m", "1"), 8));

        Assert.Contains("external_data: expected weights.bin next to the model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_RealResNet18_BatchesWithItsShapes()
    {
        var model = RepoModels.OnnxPath("resnet18");

        var config = GraphConfigCompleter.Complete(new ModelConfigDraft("config.json", new ModelConfig(), false), OnnxGraphReader.Read(model), 64);

        Assert.Equal(64, config.MaxBatchSize);
        Assert.Equal(("Input247", "FP32"), (config.Inputs[0].Name, config.Inputs[0].Datatype));
        Assert.Equal([3L, 224, 224], config.Inputs[0].Dims);
        Assert.Equal("Pooling395_Output_0", config.Outputs[0].Name);
        Assert.Equal([512L, 1, 1], config.Outputs[0].Dims);
    }

    private (ModelConfig Config, OnnxGraphInfo Graph) Complete(string? configJson, byte[] model, int defaultMaxBatchSize = GraphConfigCompleter.DefaultMaxBatchSize)
    {
        var dir = Path.Combine(_temp.Path, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "1"));
        File.WriteAllBytes(Path.Combine(dir, "1", "model.onnx"), model);
        if (configJson is not null)
        {
            File.WriteAllText(Path.Combine(dir, "config.json"), configJson);
        }

        return GraphConfigCompleter.ForVersion(ModelConfigLoader.LoadDraft(dir), dir, Path.Combine(dir, "1"), defaultMaxBatchSize);
    }
}

using Google.Protobuf;
using InferenceService.Runtime.Repository;
using InferenceService.Tests.Shared;
using Onnx;

namespace InferenceService.Runtime.Tests.Repository;

public sealed class OnnxGraphReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_DropInGraph_SignatureMetadataAndExternalDataFiles()
    {
        var path = WriteModel(DropInGraphs.AddWeights([-1, 3], TensorProto.Types.DataType.Float16, externalData: "model.onnx.data"));

        var graph = OnnxGraphReader.Read(path);

        var input = Assert.Single(graph.Inputs);
        Assert.Equal(("x", "FP16", "FLOAT16"), (input.Name, input.Datatype, input.OnnxTypeName));
        Assert.Equal([-1L, 3L], input.Dims);
        Assert.Equal(["batch", null], input.DimNames);
        Assert.Equal("y", Assert.Single(graph.Outputs).Name);
        Assert.Equal((DropInGraphs.Producer, "1.2.3", 8L, 17L), (graph.ProducerName, graph.ProducerVersion, graph.IrVersion, graph.Opset));
        Assert.Equal(["model.onnx.data"], graph.ExternalDataFiles);
    }

    [Fact]
    public void Read_InitializerListedAsInput_IsNotAnInput()
    {
        // IR version 3 exporters list every weight as a graph input too; only the inputs a request must give count.
        var model = ModelProto.Parser.ParseFrom(DropInGraphs.AddWeights([-1, 3]));
        model.Graph.Input.Add(new ValueInfoProto { Name = "w", Type = model.Graph.Input[0].Type });

        var graph = OnnxGraphReader.Read(WriteModel(model.ToByteArray()));

        Assert.Equal(["x"], graph.Inputs.Select(i => i.Name));
    }

    [Fact]
    public void Read_InputWithoutName_ErrorNamesTheInput()
    {
        var path = WriteModel(DropInGraphs.AddWeights([-1, 3], inputName: null));

        var error = Assert.Throws<ModelConfigException>(() => OnnxGraphReader.Read(path));

        Assert.Equal($"{path}: graph.input[0].name: expected a name (requests name every input), got an empty name", error.Message);
    }

    [Fact]
    public void Read_NotAnOnnxFile_OneLineError()
    {
        var path = WriteModel("this is not an onnx file"u8.ToArray());

        var error = Assert.Throws<ModelConfigException>(() => OnnxGraphReader.Read(path));

        Assert.StartsWith($"{path}: $: expected an ONNX model (a ModelProto protobuf), got unreadable bytes", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Read_ProtobufWithoutGraph_SaysSo()
    {
        var path = WriteModel(new ModelProto { IrVersion = 8, ProducerName = "x" }.ToByteArray());

        var error = Assert.Throws<ModelConfigException>(() => OnnxGraphReader.Read(path));

        Assert.Contains("graph: expected an ONNX model with a graph", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RealResNet18_SymbolicBatchFromProvisioning()
    {
        var graph = OnnxGraphReader.Read(RepoModels.OnnxPath("resnet18"));

        Assert.Equal([-1L, 3, 224, 224], Assert.Single(graph.Inputs).Dims);
        Assert.Equal("batch", graph.Inputs[0].DimNames[0]);
        Assert.Empty(graph.ExternalDataFiles);
    }

    private string WriteModel(byte[] bytes)
    {
        var path = Path.Combine(_temp.Path, Guid.NewGuid().ToString("N") + ".onnx");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}

using Google.Protobuf;
using InferenceService.Training.Export;
using InferenceService.Training.Models;
using static TorchSharp.torch;

namespace InferenceService.Training.Tests.Export;

/// <summary>Whole-model exports (untrained weights, randomised statistics) against TorchSharp in ONNX Runtime.</summary>
[Trait("Category", "Training")]
public sealed class ModelParityTests
{
    [Fact]
    public void ImageCnnExporter_RandomWeights_MatchesTorch()
    {
        manual_seed(11);
        var model = new ImageCnn(new ImageCnnShape(8, 16, 32, 10));
        using (no_grad())
        {
            model.Bn1.running_mean!.copy_(randn(8) * 0.1);
            model.Bn1.running_var!.copy_(rand(8) + 0.5);
            model.Bn2.running_mean!.copy_(randn(16) * 0.1);
            model.Bn2.running_var!.copy_(rand(16) + 0.5);
        }

        model.eval();
        var onnx = ImageCnnExporter.Export(model, new Dictionary<string, string>()).ToByteArray();

        var report = ParityVerifier.Verify(onnx, new ImageCnnProbe(model));

        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void SpamHeadExporter_RandomWeights_MatchesTorch()
    {
        manual_seed(12);
        var model = new SpamHead(384, 16);
        var onnx = SpamHeadExporter.Export(model, new Dictionary<string, string>()).ToByteArray();

        var report = ParityVerifier.Verify(onnx, new SpamHeadProbe(model));

        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void RecommenderExporter_GatherMatMulAdd_MatchesTorch()
    {
        manual_seed(13);
        var model = new MatrixFactorization(50, 30, 8);
        using (no_grad())
        {
            model.ItemBias.copy_(randn(30));
        }

        var onnx = RecommenderExporter.Export(model, new Dictionary<string, string>()).ToByteArray();

        var report = ParityVerifier.Verify(onnx, new MatrixFactorizationProbe(model));

        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void Build_AnyModel_WritesOpset17AndSymbolicBatch()
    {
        var model = new SpamHead(384, 4);

        var proto = SpamHeadExporter.Export(model, new Dictionary<string, string> { ["training.family"] = "spam" });

        Assert.Equal(17, proto.OpsetImport.Single().Version);
        Assert.Equal(OnnxGraphBuilder.BatchDim, proto.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal(OnnxGraphBuilder.BatchDim, proto.Graph.Output[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Contains(proto.MetadataProps, p => p.Key == "training.family" && p.Value == "spam");
    }
}

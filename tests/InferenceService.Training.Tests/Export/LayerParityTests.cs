using Google.Protobuf;
using InferenceService.Training.Export;
using static TorchSharp.torch;

namespace InferenceService.Training.Tests.Export;

/// <summary>Each layer emitter against TorchSharp's eval-mode forward in ONNX Runtime, at batch 1 and 37.</summary>
[Trait("Category", "Training")]
public sealed class LayerParityTests
{
    private static ParityReport Check(long[] inputShape, long?[] outputShape, Func<OnnxGraphBuilder, string, string> emit, Func<Tensor, Tensor> forward)
    {
        var builder = new OnnxGraphBuilder("layer");
        builder.AddInput("x", OnnxGraphBuilder.Float, [null, .. inputShape.Select(d => (long?)d)]);
        emit(builder, "x");
        builder.AddOutput("y", OnnxGraphBuilder.Float, [null, .. outputShape]);
        var onnx = builder.Build(new Dictionary<string, string>()).ToByteArray();
        using var noGrad = no_grad();
        return ParityVerifier.Verify(onnx, new SingleLayerProbe(inputShape, forward));
    }

    [Fact]
    public void Conv2d_PaddedKernel_MatchesTorch()
    {
        manual_seed(1);
        var conv = nn.Conv2d(3, 8, 3, padding: 1);
        var report = Check([3, 12, 12], [8, 12, 12], (b, x) => LayerExport.Conv2d(b, conv, x, 3, 1, "y"), conv.forward);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void BatchNorm2d_TrainedRunningStatistics_MatchesTorch()
    {
        manual_seed(2);
        var norm = nn.BatchNorm2d(4);
        using (no_grad())
        {
            // Non-trivial statistics and affine parameters, as after training.
            norm.running_mean!.copy_(randn(4));
            norm.running_var!.copy_(rand(4) + 0.5);
            norm.weight!.copy_(randn(4));
            norm.bias!.copy_(randn(4));
        }

        norm.eval();
        var report = Check([4, 6, 6], [4, 6, 6], (b, x) => LayerExport.BatchNorm2d(b, norm, x, output: "y"), norm.forward);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void Relu_RandomInput_MatchesTorch()
    {
        var report = Check([5, 7], [5, 7], (b, x) => LayerExport.Relu(b, x, "y"), x => nn.functional.relu(x));
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void MaxPool2d_Kernel2_MatchesTorch()
    {
        var report = Check([2, 8, 8], [2, 4, 4], (b, x) => LayerExport.MaxPool2d(b, x, 2, "y"), x => nn.functional.max_pool2d(x, 2));
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void Flatten_ChannelsAndPixels_MatchesTorch()
    {
        var report = Check([3, 4, 5], [60], (b, x) => LayerExport.Flatten(b, x, "y"), x => x.flatten(1));
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void Linear_WithBias_MatchesTorch()
    {
        manual_seed(3);
        var linear = nn.Linear(20, 7);
        var report = Check([20], [7], (b, x) => LayerExport.Linear(b, linear, x, "y"), linear.forward);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void Verify_WrongExport_FailsWithFigure()
    {
        manual_seed(4);
        var linear = nn.Linear(20, 7);
        var other = nn.Linear(20, 7);

        // Exporting a different layer's weights must be caught: this is what protects publish.
        var report = Check([20], [7], (b, x) => LayerExport.Linear(b, other, x, "y"), linear.forward);

        Assert.False(report.Passed);
        Assert.True(report.MaxAbsDiff > ParityReport.DefaultTolerance, report.ToString());
    }
}

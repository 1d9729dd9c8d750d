using TorchSharp.Modules;
using static TorchSharp.torch;

namespace InferenceService.Training.Export;

/// <summary>
/// One ONNX emitter per TorchSharp layer type, each matching the layer's eval-mode forward.
/// Parity tests exercise them one by one, so a wrong attribute shows up next to the layer that caused it.
/// </summary>
internal static class LayerExport
{
    public static string Conv2d(OnnxGraphBuilder builder, Conv2d conv, string input, long kernel, long padding, string? output = null)
    {
        var name = builder.UniqueName("conv");
        var weight = builder.AddInitializer(name + ".weight", Data(conv.weight!), conv.weight!.shape);
        var inputs = conv.bias is null
            ? new[] { input, weight }
            : [input, weight, builder.AddInitializer(name + ".bias", Data(conv.bias), conv.bias.shape)];
        return builder.AddNode("Conv", inputs, output,
            OnnxGraphBuilder.Ints("kernel_shape", kernel, kernel),
            OnnxGraphBuilder.Ints("pads", padding, padding, padding, padding),
            OnnxGraphBuilder.Ints("strides", 1, 1));
    }

    public static string BatchNorm2d(OnnxGraphBuilder builder, BatchNorm2d norm, string input, double epsilon = 1e-5, string? output = null)
    {
        var name = builder.UniqueName("bn");
        var scale = builder.AddInitializer(name + ".weight", Data(norm.weight!), norm.weight!.shape);
        var bias = builder.AddInitializer(name + ".bias", Data(norm.bias!), norm.bias!.shape);
        var mean = builder.AddInitializer(name + ".running_mean", Data(norm.running_mean!), norm.running_mean!.shape);
        var variance = builder.AddInitializer(name + ".running_var", Data(norm.running_var!), norm.running_var!.shape);
        return builder.AddNode("BatchNormalization", [input, scale, bias, mean, variance], output,
            OnnxGraphBuilder.Float32("epsilon", (float)epsilon));
    }

    public static string Relu(OnnxGraphBuilder builder, string input, string? output = null) =>
        builder.AddNode("Relu", [input], output);

    public static string MaxPool2d(OnnxGraphBuilder builder, string input, long kernel, string? output = null) =>
        builder.AddNode("MaxPool", [input], output,
            OnnxGraphBuilder.Ints("kernel_shape", kernel, kernel),
            OnnxGraphBuilder.Ints("strides", kernel, kernel));

    public static string Flatten(OnnxGraphBuilder builder, string input, string? output = null) =>
        builder.AddNode("Flatten", [input], output, OnnxGraphBuilder.Int("axis", 1));

    /// <summary>Linear as Gemm with transB, the weight kept in PyTorch's [out, in] layout.</summary>
    public static string Linear(OnnxGraphBuilder builder, Linear linear, string input, string? output = null)
    {
        var name = builder.UniqueName("linear");
        var weight = builder.AddInitializer(name + ".weight", Data(linear.weight!), linear.weight!.shape);
        var inputs = linear.bias is null
            ? new[] { input, weight }
            : [input, weight, builder.AddInitializer(name + ".bias", Data(linear.bias), linear.bias.shape)];
        return builder.AddNode("Gemm", inputs, output, OnnxGraphBuilder.Int("transB", 1));
    }

    /// <summary>Embedding lookup: Gather rows of a [rows, dim] table by ids [batch, 1], flattened to [batch, dim].</summary>
    public static string EmbeddingLookup(OnnxGraphBuilder builder, string table, string ids, string? output = null)
    {
        var gathered = builder.AddNode("Gather", [table, ids], null, OnnxGraphBuilder.Int("axis", 0));
        return Flatten(builder, gathered, output);
    }

    public static float[] Data(Tensor tensor) => tensor.detach().cpu().contiguous().data<float>().ToArray();
}

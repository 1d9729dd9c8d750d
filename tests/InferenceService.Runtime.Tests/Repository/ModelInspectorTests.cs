using InferenceService.Runtime.Repository;
using InferenceService.Tests.Shared;
using Onnx;

namespace InferenceService.Runtime.Tests.Repository;

public sealed class ModelInspectorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Inspect_ModelFolder_UsesItsConfigAndNewestVersion()
    {
        Write("m/1/model.onnx", DropInGraphs.AddWeights([-1, 3]));
        Write("m/2/model.onnx", DropInGraphs.AddWeights([-1, 5]));
        _temp.Write("m/config.json", """{ "max_batch_size": 7 }""");

        var inspection = ModelInspector.Inspect(Path.Combine(_temp.Path, "m"), 64);

        Assert.Equal(Path.Combine(_temp.Path, "m", "2", "model.onnx"), inspection.ModelPath);
        Assert.Equal(7, inspection.Config.MaxBatchSize);
        Assert.Equal([5L], inspection.Config.Inputs[0].Dims);
        Assert.Contains("\"max_batch_size\": 7", inspection.ConfigJson, StringComparison.Ordinal);
        Assert.Empty(inspection.Warnings);

        // The printed config is a complete config.json: saved, it loads even with completion off.
        _temp.Write("pinned/config.json", inspection.ConfigJson);
        Assert.Equal([5L], ModelConfigLoader.Load(Path.Combine(_temp.Path, "pinned")).Inputs[0].Dims);
    }

    [Fact]
    public void Inspect_FixedBatchFp16WithExternalData_WarnsAboutEach()
    {
        var dir = Path.Combine(_temp.Path, "loose");
        Write("loose/exported.onnx", DropInGraphs.AddWeights([1, 3], TensorProto.Types.DataType.Float16, externalData: "exported.onnx.data"));

        var inspection = ModelInspector.Inspect(Path.Combine(dir, "exported.onnx"), 64);

        Assert.Equal(0, inspection.Config.MaxBatchSize);
        Assert.Collection(
            inspection.Warnings,
            w => Assert.Contains("copy this file to models/<name>/1/model.onnx", w, StringComparison.Ordinal),
            w => Assert.StartsWith("'x' has a fixed first dim 1 (shape [1,3]): the model does not batch", w, StringComparison.Ordinal),
            w => Assert.StartsWith("'y' has a fixed first dim 1", w, StringComparison.Ordinal),
            w => Assert.StartsWith("input 'x' is FP16: JSON requests cannot carry FP16 values", w, StringComparison.Ordinal),
            w => Assert.StartsWith("needs external data file exported.onnx.data: MISSING", w, StringComparison.Ordinal));
    }

    [Fact]
    public void Inspect_ExternalDataPresent_SaysSoWithItsSize()
    {
        DropInGraphs.WriteAddWeights(Path.Combine(_temp.Path, "m", "1"), [-1, 3]);

        var inspection = ModelInspector.Inspect(Path.Combine(_temp.Path, "m", "1"), 64);

        Assert.Equal("needs external data file model.onnx.data: present (12 bytes); keep it next to the model", Assert.Single(inspection.Warnings));
    }

    [Fact]
    public void Inspect_NoSuchPath_ErrorNamesIt()
    {
        var path = Path.Combine(_temp.Path, "nothing");

        var error = Assert.Throws<ModelConfigException>(() => ModelInspector.Inspect(path, 64));

        Assert.Equal($"{path}: $: expected an .onnx file, a model folder or a version folder, got no such file or folder", error.Message);
    }

    private void Write(string relative, byte[] bytes)
    {
        var full = Path.Combine(_temp.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
    }
}

using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Tests.Repository;

public sealed class ModelFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Find_TwoOnnxFiles_NamesBoth()
    {
        _temp.Write("m/1/a.onnx", "a");
        _temp.Write("m/1/model.onnx", "b");

        var error = Assert.Throws<ModelConfigException>(() => ModelFile.Find(Dir("m"), Dir("m/1")));

        Assert.Contains("expected one .onnx file (model.onnx), got 2 (a.onnx, model.onnx)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_OtherName_SaysToRenameIt()
    {
        _temp.Write("m/1/resnet18-v1-7.onnx", "a");

        var error = Assert.Throws<ModelConfigException>(() => ModelFile.Find(Dir("m"), Dir("m/1")));

        Assert.Contains("got resnet18-v1-7.onnx: rename it to model.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_VersionFolderWithoutModel_SaysSo()
    {
        _temp.Write("m/1/labels.txt", "a");

        var error = Assert.Throws<ModelConfigException>(() => ModelFile.Find(Dir("m"), Dir("m/1")));

        Assert.Equal($"{Dir("m/1")}: $: expected a model.onnx, got a version folder without a model", error.Message);
    }

    [Fact]
    public void Find_ModelOnnxWithItsExternalData_IsTheModel()
    {
        _temp.Write("m/1/model.onnx", "a");
        _temp.Write("m/1/model.onnx.data", "b");

        Assert.Equal(Path.Combine(Dir("m/1"), "model.onnx"), ModelFile.Find(Dir("m"), Dir("m/1")));
    }

    private string Dir(string relative) => Path.Combine(_temp.Path, relative);
}

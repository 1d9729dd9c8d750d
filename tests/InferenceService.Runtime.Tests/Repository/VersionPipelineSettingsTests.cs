using System.Text.Json;
using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Tests.Repository;

/// <summary>A version's pipeline.json merged over the model's pipeline: field by field, the version winning.</summary>
public sealed class VersionPipelineSettingsTests : IDisposable
{
    private static readonly ModelConfig Model = new()
    {
        Pipeline = JsonDocument.Parse("""
            { "kind": "image-classifier", "labels": "labels.txt",
              "image": { "width": 28, "height": 28, "mean": [0.1307], "std": [0.3081], "invert": false } }
            """).RootElement,
    };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Apply_VersionFile_NestedObjectsMergedArraysAndScalarsReplaced()
    {
        _temp.Write("2/pipeline.json", """
            // what version 2 was trained with
            { "labels": "classes.txt", "image": { "mean": [0.5], "std": [0.2] }, "embedding_model_version": 3, }
            """);

        var merged = VersionPipelineSettings.Apply(Model, Path.Combine(_temp.Path, "2")).Pipeline!.Value;

        Assert.Equal("image-classifier", merged.GetProperty("kind").GetString());
        Assert.Equal("classes.txt", merged.GetProperty("labels").GetString());
        Assert.Equal(3, merged.GetProperty("embedding_model_version").GetInt32());
        var image = merged.GetProperty("image");
        Assert.Equal(28, image.GetProperty("width").GetInt32());
        Assert.False(image.GetProperty("invert").GetBoolean());
        Assert.Equal([0.5], image.GetProperty("mean").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal([0.2], image.GetProperty("std").EnumerateArray().Select(e => e.GetDouble()));
    }

    [Fact]
    public void Apply_NullField_RemovesIt()
    {
        _temp.Write("1/pipeline.json", """{ "image": { "invert": null } }""");

        var merged = VersionPipelineSettings.Apply(Model, Path.Combine(_temp.Path, "1")).Pipeline!.Value;

        Assert.False(merged.GetProperty("image").TryGetProperty("invert", out _));
        Assert.Equal(28, merged.GetProperty("image").GetProperty("height").GetInt32());
    }

    [Fact]
    public void Apply_NoVersionFile_ReturnsTheModelConfig()
    {
        Directory.CreateDirectory(Path.Combine(_temp.Path, "1"));

        Assert.Same(Model, VersionPipelineSettings.Apply(Model, Path.Combine(_temp.Path, "1")));
    }

    [Fact]
    public void Apply_ModelWithoutPipeline_VersionFileIsThePipeline()
    {
        _temp.Write("1/pipeline.json", """{ "kind": "text-embedder", "vocab": "vocab.txt" }""");

        var merged = VersionPipelineSettings.Apply(new ModelConfig(), Path.Combine(_temp.Path, "1")).Pipeline!.Value;

        Assert.Equal("text-embedder", merged.GetProperty("kind").GetString());
        Assert.Equal("vocab.txt", merged.GetProperty("vocab").GetString());
    }

    [Theory]
    [InlineData("{ \"labels\": ", "$")]
    [InlineData("[1, 2]", "expected a JSON object")]
    public void Apply_BrokenVersionFile_ErrorNamesTheFile(string content, string expected)
    {
        var path = _temp.Write("1/pipeline.json", content);

        var error = Assert.Throws<ModelConfigException>(() => VersionPipelineSettings.Apply(Model, Path.Combine(_temp.Path, "1")));

        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}

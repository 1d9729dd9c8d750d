using InferenceService.Training.Publish;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Training.Tests.Publish;

/// <summary>Checks a repository model folder against the runtime contract: config names, types and dims match the ONNX graph.</summary>
internal static class ConfigContract
{
    public static void AssertMatchesOnnx(string modelFolder)
    {
        var config = ModelConfig.FromJson(File.ReadAllText(Path.Combine(modelFolder, "config.json")));
        var latest = Directory.EnumerateDirectories(modelFolder)
            .Select(Path.GetFileName)
            .Where(n => int.TryParse(n, out _))
            .Max(n => int.Parse(n!, System.Globalization.CultureInfo.InvariantCulture));
        using var session = new InferenceSession(Path.Combine(modelFolder, latest.ToString(System.Globalization.CultureInfo.InvariantCulture), "model.onnx"));

        Assert.Equal("onnxruntime_onnx", config.Platform);
        Assert.True(config.MaxBatchSize > 0);
        Assert.Equal(1, config.InstanceCount);
        Assert.Equal(0, config.IntraOpThreads);
        Check(config.Inputs, session.InputMetadata);
        Check(config.Outputs, session.OutputMetadata);
    }

    private static void Check(IReadOnlyList<TensorSpec> specs, IReadOnlyDictionary<string, NodeMetadata> graph)
    {
        Assert.Equal(specs.Select(s => s.Name).Order(), graph.Keys.Order());
        foreach (var spec in specs)
        {
            var node = graph[spec.Name];

            // dims exclude the batch dimension, which is symbolic (-1 in ONNX Runtime's metadata).
            Assert.Equal(-1, node.Dimensions[0]);
            Assert.Equal(spec.Dims, node.Dimensions.Skip(1).Select(d => (long)d));
            Assert.Equal(spec.Datatype == "INT64" ? typeof(long) : typeof(float), node.ElementType);
        }
    }
}

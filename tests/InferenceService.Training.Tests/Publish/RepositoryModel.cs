using System.Globalization;
using InferenceService.Training.Publish;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Training.Tests.Publish;

/// <summary>The latest version of a committed repository model, loaded as the runtime would load it.</summary>
internal sealed class RepositoryModel : IDisposable
{
    public RepositoryModel(string name)
    {
        Folder = Path.Combine(RepositoryPaths.Models, name);
        Assert.True(File.Exists(Path.Combine(Folder, "config.json")), $"{Folder}/config.json is missing: the default {name} model is not committed.");
        Config = ModelConfig.FromJson(File.ReadAllText(Path.Combine(Folder, "config.json")));
        var latest = Directory.EnumerateDirectories(Folder)
            .Select(Path.GetFileName)
            .Where(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Max(n => int.Parse(n!, CultureInfo.InvariantCulture));
        VersionFolder = Path.Combine(Folder, latest.ToString(CultureInfo.InvariantCulture));
        Session = new InferenceSession(Path.Combine(VersionFolder, "model.onnx"));
    }

    public string Folder { get; }

    public string VersionFolder { get; }

    public ModelConfig Config { get; }

    public InferenceSession Session { get; }

    /// <summary>Runs one batch of float inputs (batch first) and returns the named output, flattened.</summary>
    public float[] Run(string input, float[] data, long[] shape, string output)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var options = new RunOptions();
        using var results = Session.Run(options, [input], [value], [output]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose() => Session.Dispose();
}

using InferenceService.Training;

namespace InferenceService.Training.Tests;

/// <summary>Shared locations: the real data cache and the MiniLM model the spam tests need.</summary>
internal static class TestPaths
{
    public static string Cache => RepositoryPaths.Cache;

    /// <summary>
    /// models/minilm/1 at the repository root (provisioned by the service build). INFERENCE_TRAINING_MINILM may point
    /// elsewhere for development. A missing model fails the test with the reason; it never skips.
    /// </summary>
    public static string MiniLm()
    {
        var folder = Environment.GetEnvironmentVariable("INFERENCE_TRAINING_MINILM") is { Length: > 0 } custom
            ? Path.GetFullPath(custom)
            : Path.Combine(RepositoryPaths.Models, "minilm", "1");
        Assert.True(File.Exists(Path.Combine(folder, "model.onnx")) && File.Exists(Path.Combine(folder, "vocab.txt")),
            $"MiniLM is missing: expected model.onnx and vocab.txt in {folder}. Build src/InferenceService (it provisions models/minilm/1) " +
            "or set INFERENCE_TRAINING_MINILM to a folder holding them.");
        return folder;
    }

    public static string NewTempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "training-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}

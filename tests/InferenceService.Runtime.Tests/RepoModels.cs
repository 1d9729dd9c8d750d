using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Tests;

/// <summary>The real repository's models (provisioned by the build of src/InferenceService, which this project orders before itself).</summary>
internal static class RepoModels
{
    public static string Root { get; } = FindRoot();

    public static string Dir(string model) => Path.Combine(Root, "models", model);

    public static ModelConfig Config(string model) => ModelConfigLoader.Load(Dir(model));

    public static string OnnxPath(string model)
    {
        var path = Path.Combine(Dir(model), "1", ModelConfigLoader.ModelFileName);
        Assert.True(File.Exists(path), $"{path} is missing: build src/InferenceService to provision it.");
        return path;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "InferenceService.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("InferenceService.sln not found");
    }
}

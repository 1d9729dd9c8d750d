namespace InferenceService.Bench;

/// <summary>The repository root, found from the working directory or the binaries (the folder with InferenceService.sln).</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find(Directory.GetCurrentDirectory()) ?? Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("InferenceService.sln not found above the working directory or the binaries.");

    public static string Models => System.IO.Path.Combine(Path, "models");

    private static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "InferenceService.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}

namespace InferenceService.Training;

/// <summary>Finds the repository root so defaults (models/, .cache/, runs/) work from any working directory.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Cache => Path.Combine(Root, ".cache");

    public static string Runs => Path.Combine(Root, "runs");

    public static string Models => Path.Combine(Root, "models");

    private static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
                {
                    return dir.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}

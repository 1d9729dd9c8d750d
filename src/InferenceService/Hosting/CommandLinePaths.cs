using Microsoft.Extensions.Configuration.CommandLine;

namespace InferenceService.Hosting;

/// <summary>
/// Relative paths typed on the command line mean the user's directory, not the app's. <c>dotnet run</c> starts a web
/// project in its project folder (the Web SDK's RunWorkingDirectory), so the launch profile
/// (Properties/launchSettings.json) hands the shell's directory to the app in <see cref="InvocationDirectoryVariable"/>
/// as <c>%PWD%</c>, which <c>dotnet run</c> expands. Where that is not a directory (no PWD, as on Windows) and in a
/// published app or a container, the current directory is the user's.
/// </summary>
internal static class CommandLinePaths
{
    public const string InvocationDirectoryVariable = "INFERENCESERVICE_INVOCATION_DIRECTORY";

    /// <summary>Settings that name files or folders; relative values on the command line are made absolute.</summary>
    private static readonly string[] PathSettings = ["ModelRepository:Path", "ModelRepository:PackagesRoot"];

    public static string InvocationDirectory =>
        Environment.GetEnvironmentVariable(InvocationDirectoryVariable) is { Length: > 0 } directory && Directory.Exists(directory)
            ? directory
            : Environment.CurrentDirectory;

    public static string Resolve(string path) => Path.GetFullPath(path, InvocationDirectory);

    /// <summary>
    /// Re-adds the path settings given on the command line as absolute paths, over the command line's own values;
    /// the same settings from appsettings.json or the environment keep resolving against the content root.
    /// </summary>
    public static void ResolveCommandLineSettings(IConfigurationBuilder configuration)
    {
        var commandLine = configuration.Sources.OfType<CommandLineConfigurationSource>().LastOrDefault();
        if (commandLine is null)
        {
            return;
        }

        var provider = new CommandLineConfigurationProvider(commandLine.Args, commandLine.SwitchMappings);
        provider.Load();
        var resolved = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in PathSettings)
        {
            if (provider.TryGet(key, out var value) && !string.IsNullOrWhiteSpace(value) && !Path.IsPathRooted(value))
            {
                resolved[key] = Resolve(value);
            }
        }

        if (resolved.Count > 0)
        {
            configuration.AddInMemoryCollection(resolved);
        }
    }
}

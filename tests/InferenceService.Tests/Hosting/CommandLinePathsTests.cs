using InferenceService.Hosting;
using Microsoft.Extensions.Configuration;

namespace InferenceService.Tests.Hosting;

/// <summary>Relative paths on the command line mean the caller's directory (here: the current one, no dotnet run).</summary>
public sealed class CommandLinePathsTests
{
    [Fact]
    public void ResolveCommandLineSettings_RelativeRepositoryPath_ResolvesAgainstTheCurrentDirectory()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ModelRepository:PackagesRoot"] = "from-appsettings" })
            .AddCommandLine(["--ModelRepository:Path=models", "--Other=relative"]);

        CommandLinePaths.ResolveCommandLineSettings(configuration);
        var settings = configuration.Build();

        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "models"), settings["ModelRepository:Path"]);
        Assert.Equal("from-appsettings", settings["ModelRepository:PackagesRoot"]);
        Assert.Equal("relative", settings["Other"]);
    }

    [Fact]
    public void ResolveCommandLineSettings_AbsolutePath_IsKept()
    {
        var absolute = Path.Combine(Path.GetTempPath(), "repo");
        var configuration = new ConfigurationBuilder().AddCommandLine([$"--ModelRepository:Path={absolute}"]);

        CommandLinePaths.ResolveCommandLineSettings(configuration);

        Assert.Equal(absolute, configuration.Build()["ModelRepository:Path"]);
    }

    [Fact]
    public void Resolve_RelativePath_IsUnderTheInvocationDirectory()
    {
        Assert.Equal(Path.Combine(CommandLinePaths.InvocationDirectory, "models"), CommandLinePaths.Resolve("models"));
    }
}

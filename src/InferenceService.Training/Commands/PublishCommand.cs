using System.CommandLine;
using InferenceService.Training.Publish;
using Spectre.Console;

namespace InferenceService.Training.Commands;

/// <summary>publish &lt;run dir&gt; --repository models --name &lt;model&gt;: verifies, then writes the next version folder.</summary>
internal static class PublishCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("run-dir") { Description = "A run folder written by train" };
        var repository = new Option<string>("--repository") { Description = "Model repository root", DefaultValueFactory = _ => RepositoryPaths.Models };
        var name = new Option<string>("--name") { Description = "Model name in the repository", Required = true };
        var command = new Command("publish", "Verify a run and publish it as the next version of a model") { folder, repository, name };
        command.SetAction(parse =>
        {
            try
            {
                var result = ModelPublisher.Publish(
                    Path.GetFullPath(parse.GetRequiredValue(folder)),
                    Path.GetFullPath(parse.GetRequiredValue(repository)),
                    parse.GetRequiredValue(name));
                AnsiConsole.MarkupLineInterpolated($"[green]Published[/] version {result.Version} → {result.VersionFolder} ({result.Parity.ToString()})");
                return 0;
            }
            catch (InvalidOperationException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return 2;
            }
            catch (FileNotFoundException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return 1;
            }
        });
        return command;
    }
}

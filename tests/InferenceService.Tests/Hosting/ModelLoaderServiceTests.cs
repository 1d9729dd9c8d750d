namespace InferenceService.Tests.Hosting;

/// <summary>The start-up summary when a model cannot load, from the real process's output.</summary>
public sealed class ModelLoaderServiceTests : IDisposable
{
    private readonly DirectoryInfo _repository = Directory.CreateTempSubdirectory("model-loader-");

    public void Dispose() => _repository.Delete(recursive: true);

    [Fact]
    public async Task Start_OneModelFailsToLoad_SummaryCountsTheReadyOnesAndNamesTheOther()
    {
        // mnist as it is; "broken" has mnist's config and an empty version folder (no model.onnx).
        var mnist = Path.Combine(RepoPaths.Models, "mnist");
        Directory.CreateDirectory(Path.Combine(_repository.FullName, "mnist", "1"));
        File.Copy(Path.Combine(mnist, "config.json"), Path.Combine(_repository.FullName, "mnist", "config.json"));
        foreach (var file in Directory.GetFiles(Path.Combine(mnist, "1")))
        {
            File.CreateSymbolicLink(Path.Combine(_repository.FullName, "mnist", "1", Path.GetFileName(file)), file);
        }

        Directory.CreateDirectory(Path.Combine(_repository.FullName, "broken", "1"));
        File.Copy(Path.Combine(mnist, "config.json"), Path.Combine(_repository.FullName, "broken", "config.json"));
        using var service = ServiceConsole.Start("--urls", "http://127.0.0.1:0", "--Grpc:Url=", "--ModelRepository:Path=" + _repository.FullName);

        var summary = await service.WaitForLineAsync(l => l.Contains(" model(s) ready in ", StringComparison.Ordinal), TimeSpan.FromMinutes(2));

        Assert.StartsWith("1 of 2 model(s) ready in ", summary.Trim(), StringComparison.Ordinal);
        Assert.Contains("not ready: broken ", summary, StringComparison.Ordinal);
    }
}

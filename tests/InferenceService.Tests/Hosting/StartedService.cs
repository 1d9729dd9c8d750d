namespace InferenceService.Tests.Hosting;

/// <summary>The service on the real model repository, started once for the start-up log tests and read when every model has loaded.</summary>
public sealed class StartedService : IAsyncLifetime
{
    private ServiceConsole? _console;

    public IReadOnlyList<string> Lines { get; private set; } = [];

    /// <summary>The model folders of the repository (those with a config.json).</summary>
    public static IReadOnlyList<string> Models { get; } =
        Directory.GetDirectories(RepoPaths.Models).Where(d => File.Exists(Path.Combine(d, "config.json"))).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    public async Task InitializeAsync()
    {
        _console = ServiceConsole.Start("--urls", "http://127.0.0.1:0", "--Grpc:Url=", "--ModelRepository:Path=" + RepoPaths.Models);
        await _console.WaitForLineAsync(l => l.Contains(" model(s) ready in ", StringComparison.Ordinal), TimeSpan.FromMinutes(3));
        Lines = _console.Lines;
    }

    public Task DisposeAsync()
    {
        _console?.Dispose();
        return Task.CompletedTask;
    }
}

using InferenceService.Runtime.Repository;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceService.Tests;

/// <summary>A service over a scratch repository with its own settings; the folder is deleted at dispose.</summary>
internal sealed class CustomService : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public CustomService(Dictionary<string, string?>? settings = null)
    {
        Directory.CreateDirectory(RepositoryPath);
        _settings = settings ?? [];
        _settings["ModelRepository:Path"] = RepositoryPath;
    }

    public string RepositoryPath { get; } = Path.Combine(Path.GetTempPath(), "is-repo-" + Guid.NewGuid().ToString("N"));

    public ModelRegistry Models => Services.GetRequiredService<ModelRegistry>();

    /// <summary>Service replacements applied after the host's own registrations (a test seam such as an engine fault).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>Links a real model's files (no copy of the weights) under another name.</summary>
    public void AddRealModel(string name, string? asName = null)
    {
        var source = Path.Combine(RepoPaths.Models, name);
        var target = Path.Combine(RepositoryPath, asName ?? name);
        Directory.CreateDirectory(Path.Combine(target, "1"));
        File.Copy(Path.Combine(source, "config.json"), Path.Combine(target, "config.json"));
        foreach (var file in Directory.GetFiles(Path.Combine(source, "1")))
        {
            File.CreateSymbolicLink(Path.Combine(target, "1", Path.GetFileName(file)), file);
        }
    }

    public string Write(string relative, string content)
    {
        var full = Path.Combine(RepositoryPath, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public async Task<HttpClient> StartAsync()
    {
        var client = CreateClient();
        await Models.Startup.WaitAsync(TimeSpan.FromMinutes(2));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (TestServices is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(RepositoryPath, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

extern alias server;

using InferenceService.Runtime.Repository;
using InferenceService.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceService.Client.Tests;

/// <summary>
/// The real service in-process over a scratch repository holding the real minilm and mnist (linked, not copied), with
/// an admin key and explicit model control, so every client call has something real to talk to. Loads once per run.
/// </summary>
public sealed class ClientServiceFixture : WebApplicationFactory<server::Program>, IAsyncLifetime
{
    public const string AdminKey = "client-tests-admin-key";

    public string RepositoryPath { get; } = Path.Combine(Path.GetTempPath(), "is-client-" + Guid.NewGuid().ToString("N"));

    /// <summary>A plain HttpClient on the service, for comparing the client with raw requests.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The REST client under test, with the admin key.</summary>
    public InferenceClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        LinkRealModel("minilm");
        LinkRealModel("mnist");
        Http = CreateClient();
        Client = new InferenceClient(Http, new InferenceClientOptions { AdminApiKey = AdminKey });
        var models = Services.GetRequiredService<ModelRegistry>();
        await models.Startup.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(models.IsReady, models.Readiness);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ModelRepository:Path", RepositoryPath);
        builder.UseSetting("ModelRepository:ControlMode", "explicit");
        builder.UseSetting("Admin:ApiKey", AdminKey);
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
            // Best effort: a scratch folder under the temp directory.
        }
    }

    private void LinkRealModel(string name)
    {
        var source = Path.Combine(RepoPaths.Models, name);
        var target = Path.Combine(RepositoryPath, name);
        Directory.CreateDirectory(Path.Combine(target, "1"));
        File.Copy(Path.Combine(source, "config.json"), Path.Combine(target, "config.json"));
        foreach (var file in Directory.GetFiles(Path.Combine(source, "1")))
        {
            File.CreateSymbolicLink(Path.Combine(target, "1", Path.GetFileName(file)), file);
        }
    }
}

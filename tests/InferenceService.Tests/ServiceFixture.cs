using InferenceService.Runtime.Repository;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceService.Tests;

/// <summary>
/// One service over the real repository (models/ at the repo root) for a whole test collection; waits until every
/// model is loaded and warmed, so tests start from a ready server.
/// </summary>
public sealed class ServiceFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public HttpClient Client { get; private set; } = null!;

    public ModelRegistry Models => Services.GetRequiredService<ModelRegistry>();

    public async Task InitializeAsync()
    {
        Client = CreateClient();
        await Models.Startup.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(Models.IsReady, "models not ready: " + string.Join("; ", Models.Models.Values.SelectMany(m => m.Versions).Select(v => $"{v.Name}/{v.Version} {v.State} {v.Reason}")));
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

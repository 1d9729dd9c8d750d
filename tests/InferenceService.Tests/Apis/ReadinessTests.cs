using System.Net;
using System.Text.Json.Nodes;
using InferenceService.Runtime.Repository;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceService.Tests.Apis;

/// <summary>Readiness and its text describe what is loaded now: after an unload too.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Ready_AfterUnloadingOneOfTwoModels_CountsOnlyTheLoadedOne()
    {
        using var service = new CustomService(new() { ["ModelRepository:ControlMode"] = "explicit" });
        foreach (var name in new[] { "first", "second" })
        {
            service.Write($"{name}/config.json", AdderModel.Config);
            AdderModel.Publish(service.RepositoryPath, name, 1, AdderModel.Build(1));
        }

        var client = await service.StartAsync();
        var before = await DescriptionAsync(client);
        await service.Services.GetRequiredService<ModelManager>().UnloadModelAsync("second", "test", CancellationToken.None);
        var after = await DescriptionAsync(client);

        Assert.Equal((HttpStatusCode.OK, "2 model(s) ready"), before);
        Assert.Equal((HttpStatusCode.OK, "1 model(s) ready"), after);
    }

    private static async Task<(HttpStatusCode Status, string Description)> DescriptionAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (response.StatusCode, body["checks"]![0]!["description"]!.GetValue<string>());
    }
}

using System.Net;
using System.Text.Json;
using static InferenceService.Tests.Apis.TaskHttp;

namespace InferenceService.Tests.Apis;

/// <summary>Tei:Model names no text embedder of the repository: TEI's routes answer 424 Backend, as TEI does for a model of the wrong type.</summary>
public sealed class TeiModelMissingTests
{
    [Theory]
    [InlineData("POST", "/embed")]
    [InlineData("GET", "/info")]
    public async Task Route_TeiModelNotInTheRepository_Returns424Backend(string method, string path)
    {
        using var service = new CustomService(new() { ["Tei:Model"] = "nope" });
        var client = await service.StartAsync();

        using var response = method == "GET" ? await client.GetAsync(path) : await PostJsonAsync(client, path, """{ "inputs": "hi" }""");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.FailedDependency, $"{(int)response.StatusCode}: {text}");
        var error = JsonDocument.Parse(text).RootElement;
        Assert.Equal("Backend", error.GetProperty("error_type").GetString());
        Assert.Contains("'nope'", error.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_TeiModelEmpty_AreNotMapped()
    {
        using var service = new CustomService(new() { ["Tei:Model"] = string.Empty });
        var client = await service.StartAsync();

        using var response = await PostJsonAsync(client, "/embed", """{ "inputs": "hi" }""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

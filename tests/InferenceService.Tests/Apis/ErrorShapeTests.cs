using System.Net;
using System.Text.Json.Nodes;

namespace InferenceService.Tests.Apis;

/// <summary>Errors no handler wrote take their API family's shape: {"error"} under /v2, problem+json with a detail elsewhere.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ErrorShapeTests(ServiceFixture service)
{
    [Theory]
    [InlineData("GET", "/v2/models/minilm/trace/setting", HttpStatusCode.NotFound, "No route GET /v2/models/minilm/trace/setting")]
    [InlineData("POST", "/v2/nonsense", HttpStatusCode.NotFound, "No route POST /v2/nonsense")]
    [InlineData("DELETE", "/v2/models/minilm/infer", HttpStatusCode.MethodNotAllowed, "DELETE is not allowed on /v2/models/minilm/infer")]
    public async Task V2Route_NoHandlerAnswers_ErrorObject(string method, string path, HttpStatusCode status, string message)
    {
        using var response = await service.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["error"], body.Select(p => p.Key));
        Assert.StartsWith(message, body["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/v1/nonsense", HttpStatusCode.NotFound, "No route GET /v1/nonsense")]
    [InlineData("GET", "/v1/text/embeddings", HttpStatusCode.MethodNotAllowed, "GET is not allowed on /v1/text/embeddings")]
    [InlineData("GET", "/nothing/here", HttpStatusCode.NotFound, "No route GET /nothing/here")]
    public async Task OtherRoute_NoHandlerAnswers_ProblemWithDetail(string method, string path, HttpStatusCode status, string detail)
    {
        using var response = await service.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, body["status"]!.GetValue<int>());
        Assert.StartsWith(detail, body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VisionRoute_WrongContentType_ProblemWithDetail()
    {
        using var response = await service.Client.PostAsync("/v1/vision/embeddings", new StringContent("hello"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("is not accepted here", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

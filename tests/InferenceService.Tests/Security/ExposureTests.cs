using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using InferenceService.Grpc;
using InferenceService.Hosting;

namespace InferenceService.Tests.Security;

/// <summary>What the service exposes by default: no admin routes without a key, and no CORS unless origins are configured.</summary>
public sealed class ExposureTests
{
    [Fact]
    public async Task NoAdminKey_RepositoryAndLoggingRoutesAndRpcs_NotServed()
    {
        using var service = new CustomService(new() { ["ModelRepository:ControlMode"] = "explicit" });
        AdderModel.Publish(service.RepositoryPath, "adder", 1, AdderModel.Build(1));
        var client = await service.StartAsync();
        using var channel = GrpcChannel.ForAddress(service.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = service.Server.CreateHandler() });
        var grpc = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var statuses = new List<(string Route, HttpStatusCode Status)>();
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Post, "/v2/repository/index"),
            (HttpMethod.Post, "/v2/repository/models/adder/load"),
            (HttpMethod.Post, "/v2/repository/models/adder/unload"),
            (HttpMethod.Get, "/v2/logging"),
            (HttpMethod.Post, "/v2/logging"),
        })
        {
            // A key that would be right if one were configured to be empty must not open anything either.
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent("{\"log_verbose_level\": 1}") };
            request.Headers.Add(AdminOptions.HeaderName, string.Empty);
            using var response = await client.SendAsync(request);
            statuses.Add((path, response.StatusCode));
        }

        var index = await Assert.ThrowsAsync<RpcException>(async () => await grpc.RepositoryIndexAsync(new RepositoryIndexRequest()));
        var unload = await Assert.ThrowsAsync<RpcException>(async () => await grpc.RepositoryModelUnloadAsync(new RepositoryModelUnloadRequest { ModelName = "adder" }));
        var logSettings = await Assert.ThrowsAsync<RpcException>(async () => await grpc.LogSettingsAsync(new LogSettingsRequest()));

        Assert.All(statuses, s => Assert.True(s.Status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{s.Route}: {s.Status}"));
        Assert.Equal(StatusCode.Unimplemented, index.StatusCode);
        Assert.Equal(StatusCode.Unimplemented, unload.StatusCode);
        Assert.Equal(StatusCode.Unimplemented, logSettings.StatusCode);
        Assert.True(service.Models.Models["adder"].Versions.Count == 1, "the model was unloaded without a key");
    }

    [Fact]
    public async Task Default_CrossOriginRequestAndPreflight_NoAccessControlHeaders()
    {
        using var service = new CustomService();
        var client = await service.StartAsync();
        using var get = new HttpRequestMessage(HttpMethod.Get, "/v2/health/live");
        get.Headers.Add("Origin", "https://evil.example");
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/v2/models/adder/infer");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type, x-api-key");

        using var getResponse = await client.SendAsync(get);
        using var preflightResponse = await client.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.OK, getResponse.StatusCode);
        foreach (var response in new[] { getResponse, preflightResponse })
        {
            Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        }

        Assert.NotEqual(HttpStatusCode.NoContent, preflightResponse.StatusCode);
    }

    [Fact]
    public async Task ConfiguredOrigin_PreflightAndRequestAllowed_OtherOriginsNot()
    {
        using var service = new CustomService(new() { ["Cors:AllowedOrigins:0"] = "https://app.example" });
        var client = await service.StartAsync();

        using var allowedPreflight = await client.SendAsync(Preflight("https://app.example"));
        using var otherPreflight = await client.SendAsync(Preflight("https://evil.example"));
        using var get = new HttpRequestMessage(HttpMethod.Get, "/v2/health/live");
        get.Headers.Add("Origin", "https://app.example");
        using var getResponse = await client.SendAsync(get);

        Assert.Equal(HttpStatusCode.NoContent, allowedPreflight.StatusCode);
        Assert.Equal("https://app.example", Assert.Single(allowedPreflight.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("POST", string.Join(",", allowedPreflight.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
        Assert.False(allowedPreflight.Headers.Contains("Access-Control-Allow-Credentials"));
        Assert.DoesNotContain(otherPreflight.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("https://app.example", Assert.Single(getResponse.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("Retry-After", string.Join(",", getResponse.Headers.GetValues("Access-Control-Expose-Headers")), StringComparison.Ordinal);
    }

    [Fact]
    public void OriginWithAPath_FailsValidation()
    {
        var result = new CorsSettingsValidator().Validate(null, new CorsSettings { AllowedOrigins = ["https://app.example/", "app.example", "*"] });

        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("'app.example'", StringComparison.Ordinal));
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/v2/models/adder/infer");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        return preflight;
    }
}

using System.Net.Http.Headers;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using InferenceService.Grpc;
using InferenceService.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InferenceService.Tests.Security;

/// <summary>
/// At the most verbose levels the service allows (Trace everywhere in configuration, then log_verbose_level through
/// the logging API), requests carry a marker in a header, a JSON body, a tensor value and the admin key, over REST and
/// gRPC, on good and refused paths; none of the markers may reach the log, scopes and structured values included.
/// </summary>
public sealed class LogLeakTests
{
    private const string AdminKey = "ADMINKEY-7f3a1";
    private const string WrongKey = "WRONGKEY-7f3a1";
    private const string HeaderMarker = "HEADER-7f3a1";
    private const string BearerMarker = "BEARER-7f3a1";
    private const string BodyMarker = "BODY-7f3a1";
    private const string TextMarker = "zebrafish7f3a";
    private const float TensorMarker = 31415.926f;

    [Fact]
    public async Task VerboseLogging_RequestsCarryingMarkers_NoMarkerInTheLog()
    {
        var log = new LeakCapturingLoggerProvider();
        using var service = new CustomService(new()
        {
            ["Admin:ApiKey"] = AdminKey,
            ["ModelRepository:ControlMode"] = "explicit",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Grpc"] = "Trace",
            ["Logging:LogLevel:InferenceService"] = "Trace",
        })
        {
            TestServices = services => services.AddSingleton<ILoggerProvider>(log),
        };
        AdderModel.Publish(service.RepositoryPath, "adder", 1, AdderModel.Build(1));
        service.AddRealModel("minilm");
        var client = await service.StartAsync();
        using var verbose = Admin(HttpMethod.Post, "/v2/logging", AdminKey, """{"log_verbose_level": 1, "log_info": true, "log_warning": true, "log_error": true}""");
        var statuses = new List<int> { (int)(await client.SendAsync(verbose)).StatusCode };

        foreach (var request in RestRequests())
        {
            using var message = request;
            using var response = await client.SendAsync(message);
            statuses.Add((int)response.StatusCode);
            await response.Content.ReadAsByteArrayAsync();
        }

        using var channel = GrpcChannel.ForAddress(service.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = service.Server.CreateHandler() });
        var grpc = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var metadata = new Metadata { { "x-trace-marker", HeaderMarker }, { "x-api-key", AdminKey } };
        var answer = await grpc.ModelInferAsync(AdderRequest(), metadata);
        await grpc.RepositoryIndexAsync(new RepositoryIndexRequest(), metadata);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await grpc.RepositoryIndexAsync(new RepositoryIndexRequest(), new Metadata { { "x-api-key", WrongKey } }));
        await service.DisposeAsync();

        var text = log.Text;
        Assert.Equal(200, statuses[0]);
        Assert.Contains(200, statuses.Skip(1));
        Assert.Contains(statuses.Skip(1), s => s is >= 400 and < 500);
        Assert.Equal(TensorMarker + 1, Apis.GrpcApiTests.Floats(answer)[0]);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains(log.Lines, l => l.Level <= LogLevel.Debug);
        Assert.Contains("/v2/models/adder/infer", text, StringComparison.Ordinal);
        foreach (var marker in new[] { AdminKey, WrongKey, HeaderMarker, BearerMarker, BodyMarker, TextMarker, "31415.9", "31416.9" })
        {
            Assert.False(text.Contains(marker, StringComparison.OrdinalIgnoreCase), $"'{marker}' is in the log:\n{string.Join('\n', text.Split('\n').Where(l => l.Contains(marker, StringComparison.OrdinalIgnoreCase)).Take(5))}");
        }
    }

    private static IEnumerable<HttpRequestMessage> RestRequests()
    {
        var tensor = $$"""{"id": "r1", "parameters": {"note": "{{BodyMarker}}"}, "inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 4], "data": [31415.926, 1, 2, 3]}]}""";
        yield return Marked(HttpMethod.Post, "/v2/models/adder/infer", tensor);
        yield return Marked(HttpMethod.Post, "/v2/models/adder/infer", $$"""{"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 4], "data": [31415.926, "{{BodyMarker}}"]}]}""");
        yield return Marked(HttpMethod.Post, "/v2/models/adder/infer", "{\"inputs\": [" + BodyMarker);
        yield return Marked(HttpMethod.Post, "/v2/models/nope/infer", tensor);
        yield return Marked(HttpMethod.Post, "/v1/text/embeddings", $$"""{"texts": ["{{TextMarker}} swims"]}""");
        yield return Marked(HttpMethod.Post, "/v1/text/embeddings", $$"""{"texts": ["{{TextMarker}}", 7], "{{BodyMarker}}": 1}""");
        yield return Admin(HttpMethod.Post, "/v2/repository/index", AdminKey, null);
        yield return Admin(HttpMethod.Post, "/v2/repository/index", WrongKey, null);
        yield return Admin(HttpMethod.Post, "/v2/repository/models/no-such-model/load", AdminKey, $$"""{"parameters": {"config": "{{BodyMarker}}"} }""");
        yield return Admin(HttpMethod.Post, "/v2/logging", AdminKey, $$"""{"log_verbose_level": "{{BodyMarker}}"}""");
    }

    private static HttpRequestMessage Marked(HttpMethod method, string path, string json)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Trace-Marker", HeaderMarker);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BearerMarker);
        request.Headers.Add("Cookie", "session=" + HeaderMarker);
        return request;
    }

    private static HttpRequestMessage Admin(HttpMethod method, string path, string key, string? json)
    {
        var request = Marked(method, path, json ?? "{}");
        request.Headers.Add(AdminOptions.HeaderName, key);
        return request;
    }

    private static ModelInferRequest AdderRequest()
    {
        var request = new ModelInferRequest { ModelName = "adder", Id = "g1" };
        request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor
        {
            Name = "x",
            Datatype = "FP32",
            Shape = { 1, 4 },
            Contents = new InferTensorContents { Fp32Contents = { TensorMarker, 1, 2, 3 } },
        });
        return request;
    }
}

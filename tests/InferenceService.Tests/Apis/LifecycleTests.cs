using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using InferenceService.Grpc;
using InferenceService.Hosting;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using InferenceService.Runtime.Repository;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceService.Tests.Apis;

/// <summary>Hot reload, the repository API and draining, on generated models whose versions answer differently.</summary>
public sealed class LifecycleTests
{
    private const string Key = "test-admin-key";

    private static CustomService Service(string mode = "poll") => new(new()
    {
        ["ModelRepository:ControlMode"] = mode,
        ["ModelRepository:PollIntervalSeconds"] = "0.1",
        ["Admin:ApiKey"] = Key,
    });

    private static async Task<(float Y, HttpStatusCode Status)> InferAsync(HttpClient client, string model = "adder")
    {
        var (body, status) = await V2Json.PostAsync(client, $"/v2/models/{model}/infer", V2Json.Request(V2Json.Tensor("x", "FP32", [1, 4], new float[] { 0, 0, 0, 0 })));
        return (status == HttpStatusCode.OK ? V2Json.Floats(body)[0] : float.NaN, status);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var timeout = Task.Delay(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            Assert.False(timeout.IsCompleted, "timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Poll_FiveVersionsPublishedUnderLoad_ZeroFailedRequestsAndEachNewVersionServed()
    {
        using var service = Service();
        AdderModel.Publish(service.RepositoryPath, "adder", 1, AdderModel.Build(1));
        var client = await service.StartAsync();
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var completed = 0;
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var (_, status) = await InferAsync(client);
                if (status != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failures);
                }

                Interlocked.Increment(ref completed);
            }
        })).ToList();

        for (var version = 2; version <= 6; version++)
        {
            AdderModel.Publish(service.RepositoryPath, "adder", version, AdderModel.Build(version));
            var expected = version;
            await WaitUntilAsync(async () => (await InferAsync(client)).Y == expected, $"version {version} to be served");
        }

        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Equal(0, failures);
        Assert.True(completed > 20, $"only {completed} requests ran during the swaps");
        Assert.Equal([6L], service.Models.Models["adder"].Versions.Select(v => v.Version));
    }

    [Fact]
    public async Task TaskEndpointLease_HeldAcrossHotSwap_OldVersionFinishesTheRequest()
    {
        // A task request leases the version it found for its whole duration, as V2 infer does: a swap that retires the
        // version meanwhile must not turn the request into a 503 (before the lease, it answered "just replaced; retry").
        using var service = Service();
        service.AddRealModel("recommender", "rec");
        await service.StartAsync();
        var gateway = service.Services.GetRequiredService<InferenceGateway>();
        var ticket = gateway.AdmitPipeline<Recommender>("rec", PipelineKinds.Recommender, out var recommender);
        var old = ticket.Model;
        var expected = await recommender.ForUserAsync(gateway, ticket, 1, 5, new HashSet<int>(), popularForUnknown: false, CancellationToken.None);

        var source = Path.Combine(service.RepositoryPath, "rec", "1");
        var temp = Path.Combine(service.RepositoryPath, "rec", ".tmp-2");
        Directory.CreateDirectory(temp);
        foreach (var file in Directory.GetFiles(source))
        {
            File.CreateSymbolicLink(Path.Combine(temp, Path.GetFileName(file)), new FileInfo(file).LinkTarget ?? file);
        }

        Directory.Move(temp, Path.Combine(service.RepositoryPath, "rec", "2"));
        await WaitUntilAsync(() => Task.FromResult(service.Models.Models["rec"].Versions.Select(v => v.Version).SequenceEqual([2L])), "version 2 to replace version 1");
        Assert.NotEqual(ModelState.Ready, old.State);

        var during = await recommender.ForUserAsync(gateway, ticket, 1, 5, new HashSet<int>(), popularForUnknown: false, CancellationToken.None);
        ticket.Dispose();

        Assert.Equal(expected.Items, during.Items);
        using var next = gateway.AdmitPipeline<Recommender>("rec", PipelineKinds.Recommender, out _);
        Assert.Equal(2, next.Model.Version);
    }

    [Fact]
    public async Task Poll_CorruptNewVersion_OldKeepsServingAndIndexShowsReason()
    {
        using var service = Service();
        AdderModel.Publish(service.RepositoryPath, "adder", 1, AdderModel.Build(1));
        var client = await service.StartAsync();

        AdderModel.Publish(service.RepositoryPath, "adder", 2, "not a model"u8.ToArray());
        await WaitUntilAsync(() => Task.FromResult(service.Models.Models["adder"].Failed.Any(f => f.Version == 2)), "version 2 to fail");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/repository/index");
        request.Headers.Add(AdminOptions.HeaderName, Key);
        using var response = await client.SendAsync(request);
        var index = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();

        Assert.Equal(1f, (await InferAsync(client)).Y);
        var row = index.Single(r => r!["name"]!.GetValue<string>() == "adder" && r["version"]!.GetValue<string>() == "2")!;
        Assert.Equal("UNAVAILABLE", row["state"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(row["reason"]!.GetValue<string>()));
        Assert.True(service.Models.IsReady);
    }

    [Fact]
    public async Task Load_VersionWithWrongSha256_NeverGoesLive()
    {
        using var service = Service("explicit");
        AdderModel.Publish(service.RepositoryPath, "adder", 1, AdderModel.Build(1));
        var client = await service.StartAsync();
        AdderModel.Publish(service.RepositoryPath, "adder", 2, AdderModel.Build(2));
        File.WriteAllText(Path.Combine(service.RepositoryPath, "adder", "2", "sha256"), new string('0', 64) + "  model.onnx\n");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/repository/models/adder/load");
        request.Headers.Add(AdminOptions.HeaderName, Key);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("sha256", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1f, (await InferAsync(client)).Y);
    }

    [Fact]
    public async Task RepositoryApi_UnloadThenLoad_ModelGoesAwayAndComesBack()
    {
        using var service = Service("explicit");
        AdderModel.Publish(service.RepositoryPath, "adder", 1, AdderModel.Build(1));
        var client = await service.StartAsync();

        async Task<HttpStatusCode> Post(string url)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url);
            request.Headers.Add(AdminOptions.HeaderName, Key);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await Post("/v2/repository/models/adder/unload"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await InferAsync(client)).Status);
        Assert.Equal(HttpStatusCode.OK, await Post("/v2/repository/models/adder/load"));
        Assert.Equal(1f, (await InferAsync(client)).Y);
        Assert.Equal(HttpStatusCode.NotFound, await Post("/v2/repository/models/nope/load"));
        Assert.Equal(HttpStatusCode.NotFound, await Post("/v2/repository/models/..%2F..%2Fetc/load"));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong", HttpStatusCode.Forbidden)]
    [InlineData(Key, HttpStatusCode.OK)]
    public async Task RepositoryApi_ApiKey_401Without403WrongOkRight(string? key, HttpStatusCode expected)
    {
        using var service = Service("explicit");
        var client = await service.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/repository/index");
        if (key is not null)
        {
            request.Headers.Add(AdminOptions.HeaderName, key);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.DoesNotContain(Key, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepositoryApi_NoKeyConfigured_RoutesNotMapped()
    {
        using var service = new CustomService();
        var client = await service.StartAsync();

        using var response = await client.PostAsync("/v2/repository/index", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Shutdown_WhileRequestsQueued_TheyCompleteAndNewOnesGet503()
    {
        // The batcher holds the requests for up to 3 s waiting for a fuller batch, so all six are queued (not yet
        // run) when shutdown begins, however slow the machine.
        using var service = new CustomService(new() { ["ModelRepository:DrainTimeoutSeconds"] = "30", ["ModelRepository:ControlMode"] = "none" });
        service.Write("adder/config.json", AdderModel.Config.Replace("\"max_queue_delay_microseconds\": 500", "\"max_queue_delay_microseconds\": 3000000", StringComparison.Ordinal));
        AdderModel.Publish(service.RepositoryPath, "adder", 1, AdderModel.Build(1));
        var client = await service.StartAsync();
        var inFlight = Enumerable.Range(0, 6).Select(_ => InferAsync(client)).ToList();
        await WaitUntilAsync(() => Task.FromResult(service.Models.ActiveRequests == 6), "all requests to be queued");

        var loader = service.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<ModelLoaderService>().Single();
        var stopping = loader.StoppingAsync(CancellationToken.None);
        using var ready = await client.GetAsync("/health/ready");
        var (_, lateStatus) = await InferAsync(client);
        var (late, _) = await V2Json.PostAsync(client, "/v2/models/adder/infer", V2Json.Request(V2Json.Tensor("x", "FP32", [1, 4], new float[4])));
        var answers = await Task.WhenAll(inFlight);
        await stopping;

        Assert.All(answers, a => Assert.Equal((1f, HttpStatusCode.OK), a));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lateStatus);
        Assert.Contains("shutting down", late["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, service.Models.ActiveRequests);
    }

    [Fact]
    public async Task Draining_Probes_ReadinessFalseLivenessTrue()
    {
        using var service = Service("none");
        AdderModel.Publish(service.RepositoryPath, "adder", 1, AdderModel.Build(1));
        var client = await service.StartAsync();
        using var channel = GrpcChannel.ForAddress(service.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = service.Server.CreateHandler() });
        var grpc = new GRPCInferenceService.GRPCInferenceServiceClient(channel);

        service.Services.GetRequiredService<ModelManager>().BeginDrain();
        using var ready = await client.GetAsync("/health/ready");
        using var v2Ready = await client.GetAsync("/v2/health/ready");
        using var live = await client.GetAsync("/health/live");
        using var v2Live = await client.GetAsync("/v2/health/live");
        var grpcReady = await grpc.ServerReadyAsync(new ServerReadyRequest());
        var grpcLive = await grpc.ServerLiveAsync(new ServerLiveRequest());

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (ready.StatusCode, v2Ready.StatusCode));
        Assert.Contains("shutting down", await v2Ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (live.StatusCode, v2Live.StatusCode));
        Assert.Equal((false, true), (grpcReady.Ready, grpcLive.Live));
    }

    [Fact]
    public async Task Draining_NewInferenceOnEachApiFamily_RefusedInItsShapeWithRetryAfter()
    {
        using var service = Service("none");
        AdderModel.Publish(service.RepositoryPath, "adder", 1, AdderModel.Build(1));
        service.AddRealModel("recommender", "rec");
        var client = await service.StartAsync();
        using var channel = GrpcChannel.ForAddress(service.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = service.Server.CreateHandler() });
        var grpc = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var grpcRequest = new ModelInferRequest { ModelName = "adder" };
        grpcRequest.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "x", Datatype = "FP32", Shape = { 1, 4 }, Contents = new InferTensorContents { Fp32Contents = { 0f, 0f, 0f, 0f } } });

        service.Services.GetRequiredService<ModelManager>().BeginDrain();
        using var v2 = await client.PostAsJsonAsync("/v2/models/adder/infer", V2Json.Request(V2Json.Tensor("x", "FP32", [1, 4], new float[4])));
        using var task = await client.GetAsync("/v1/recommendations/rec/users/1");
        var rpc = await Assert.ThrowsAsync<RpcException>(async () => await grpc.ModelInferAsync(grpcRequest));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, v2.StatusCode);
        Assert.Equal("1", v2.Headers.RetryAfter?.ToString());
        Assert.Contains("shutting down", JsonNode.Parse(await v2.Content.ReadAsStringAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, task.StatusCode);
        Assert.Equal("application/problem+json", task.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1", task.Headers.RetryAfter?.ToString());
        Assert.Contains("shutting down", JsonNode.Parse(await task.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unavailable, rpc.StatusCode);
        Assert.Contains("shutting down", rpc.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("1000", rpc.Trailers.GetValue("grpc-retry-pushback-ms"));
    }
}

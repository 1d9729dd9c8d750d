using Grpc.Core;
using Grpc.Net.Client;
using InferenceService.Grpc.Health;
using ServingStatus = InferenceService.Grpc.Health.HealthCheckResponse.Types.ServingStatus;

namespace InferenceService.Tests.Apis;

/// <summary>grpc.health.v1 (Kubernetes' gRPC probes): the server as a whole and each model by name.</summary>
[Collection(ServiceCollection.Name)]
public sealed class GrpcHealthApiTests(ServiceFixture service) : IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(service.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = service.Server.CreateHandler() });

    private Health.HealthClient Client => new(_channel);

    public void Dispose() => _channel.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData("minilm")]
    [InlineData("mnist")]
    public async Task Check_ServerOrLoadedModel_IsServing(string name)
    {
        var response = await Client.CheckAsync(new HealthCheckRequest { Service = name });

        Assert.Equal(ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Check_UnknownModel_IsNotFound()
    {
        var e = await Assert.ThrowsAsync<RpcException>(async () => await Client.CheckAsync(new HealthCheckRequest { Service = "no-such-model" }));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains("no-such-model", e.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", ServingStatus.Serving)]
    [InlineData("no-such-model", ServingStatus.ServiceUnknown)]
    public async Task Watch_SendsTheCurrentStatusFirst(string name, ServingStatus expected)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = Client.Watch(new HealthCheckRequest { Service = name }, cancellationToken: cancel.Token);

        Assert.True(await call.ResponseStream.MoveNext(cancel.Token));
        Assert.Equal(expected, call.ResponseStream.Current.Status);
    }
}

using Grpc.Core;
using InferenceService.Grpc.Health;
using InferenceService.Runtime.Repository;
using ServingStatus = InferenceService.Grpc.Health.HealthCheckResponse.Types.ServingStatus;

namespace InferenceService.Apis;

/// <summary>
/// <c>grpc.health.v1.Health</c> on the gRPC port, for Kubernetes' gRPC probes. The service <c>""</c> is the whole
/// server (SERVING when every model is ready, as /health/ready); a model's name is that model (SERVING when its
/// newest version is ready, as /v2/models/{name}/ready); any other name is NOT_FOUND (Check) or SERVICE_UNKNOWN
/// (Watch). Model names come and go at run time (repository load/unload), which is why this reads the registry
/// instead of mapping fixed health-check registrations (Grpc.AspNetCore.HealthChecks).
/// </summary>
internal sealed class GrpcHealthApi(ModelRegistry registry, TimeProvider time) : Health.HealthBase
{
    /// <summary>How often Watch looks for a change to send.</summary>
    internal static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);

    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        var status = StatusOf(request.Service)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Unknown service '{request.Service}': use \"\" for the server or a model's name."));
        return Task.FromResult(new HealthCheckResponse { Status = status });
    }

    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        ServingStatus? sent = null;
        using var timer = new PeriodicTimer(WatchInterval, time);
        try
        {
            do
            {
                var status = StatusOf(request.Service) ?? ServingStatus.ServiceUnknown;
                if (status != sent)
                {
                    await responseStream.WriteAsync(new HealthCheckResponse { Status = status }, context.CancellationToken);
                    sent = status;
                }
            }
            while (await timer.WaitForNextTickAsync(context.CancellationToken));
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client went away or the server is stopping: the stream simply ends.
        }
    }

    private ServingStatus? StatusOf(string service)
    {
        if (service.Length == 0)
        {
            return registry.IsReady ? ServingStatus.Serving : ServingStatus.NotServing;
        }

        return registry.Find(service, null, out _) is { } model
            ? model.State == ModelState.Ready ? ServingStatus.Serving : ServingStatus.NotServing
            : null;
    }
}

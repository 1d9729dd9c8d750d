using System.Globalization;
using Grpc.Core;
using InferenceService.Grpc;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Telemetry;

namespace InferenceService.Apis;

/// <summary>The Open Inference Protocol over gRPC: the same leases, validation and batcher as the REST API.</summary>
internal sealed class GrpcInferenceApi(ModelManager manager) : GRPCInferenceService.GRPCInferenceServiceBase
{
    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    public override Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerReadyResponse { Ready = manager.IsReady });

    public override Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ModelReadyResponse { Ready = Find(request.Name, request.Version).State == ModelState.Ready });

    public override Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context)
    {
        var response = new ServerMetadataResponse { Name = V2Api.ServerName, Version = V2Api.ServerVersion };
        response.Extensions.AddRange(V2Api.Extensions);
        return Task.FromResult(response);
    }

    public override Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context)
    {
        var model = Find(request.Name, request.Version);
        var config = model.Config;
        var response = new ModelMetadataResponse { Name = request.Name, Platform = config.Platform };
        response.Versions.AddRange(manager.Models[request.Name].Versions.Select(v => v.Version.ToString(CultureInfo.InvariantCulture)));
        foreach (var (tensors, target) in new[] { (config.Inputs, response.Inputs), (config.Outputs, response.Outputs) })
        {
            foreach (var t in tensors)
            {
                var meta = new ModelMetadataResponse.Types.TensorMetadata { Name = t.Name, Datatype = t.Datatype };
                if (config.MaxBatchSize > 0)
                {
                    meta.Shape.Add(-1);
                }

                meta.Shape.AddRange(t.Dims);
                target.Add(meta);
            }
        }

        return Task.FromResult(response);
    }

    public override async Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context)
    {
        using var lease = manager.Acquire(request.ModelName, ParseVersion(request.ModelVersion), out var lookup, out var error)
            ?? throw new RpcException(new Status(lookup == ModelLookup.NotFound ? StatusCode.NotFound : StatusCode.Unavailable, error!));
        var model = lease.Version;
        var submitted = false;
        try
        {
            InferenceRequest validated;
            using (InferenceTelemetry.Source.StartActivity(InferenceTelemetry.PreprocessSpan))
            {
                var inputs = GrpcTensors.ReadInputs(request);
                var outputs = request.Outputs.Count > 0 ? request.Outputs.Select(o => o.Name).ToList() : null;
                var priority = request.Parameters.TryGetValue("priority", out var p) ? (int?)p.Int64Param : null;
                var timeout = request.Parameters.TryGetValue("timeout", out var t) && t.Int64Param > 0 ? TimeSpan.FromMicroseconds(t.Int64Param) : (TimeSpan?)null;
                validated = RequestValidator.Validate(request.ModelName, model.Config, inputs, outputs, priority is > 0 ? priority : null, timeout);
            }

            submitted = true;
            var results = await model.Runner!.InferAsync(validated, context.CancellationToken).ConfigureAwait(false);
            var response = new ModelInferResponse { ModelName = request.ModelName, ModelVersion = model.Version.ToString(CultureInfo.InvariantCulture), Id = request.Id };
            GrpcTensors.WriteOutputs(response, results);
            return response;
        }
        catch (InferenceException e)
        {
            if (!submitted)
            {
                // The runner counts what reaches it; a request that did not fit the model is counted here.
                InferenceTelemetry.RecordFailure(request.ModelName, model.Version, InferenceTelemetry.ReasonOf(e));
            }

            throw new RpcException(new Status(StatusOf(e.Kind), e.Message));
        }
    }

    private static StatusCode StatusOf(InferenceErrorKind kind) => kind switch
    {
        InferenceErrorKind.BadRequest => StatusCode.InvalidArgument,
        InferenceErrorKind.NotFound => StatusCode.NotFound,
        InferenceErrorKind.Unavailable => StatusCode.Unavailable,
        InferenceErrorKind.Timeout => StatusCode.DeadlineExceeded,
        _ => StatusCode.Internal,
    };

    private static long? ParseVersion(string version) =>
        VersionNumber.TryParse(version, out var number, out var error) ? number : throw new RpcException(new Status(StatusCode.InvalidArgument, error!));

    private ModelVersion Find(string name, string version) =>
        manager.Find(name, ParseVersion(version), out var error) ?? throw new RpcException(new Status(StatusCode.NotFound, error!));
}

using System.Globalization;
using Grpc.Core;
using InferenceService.Grpc;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Telemetry;

namespace InferenceService.Apis;

/// <summary>The Open Inference Protocol over gRPC: an adapter over the same request path as the REST API.</summary>
internal sealed class GrpcInferenceApi(InferenceGateway gateway) : GRPCInferenceService.GRPCInferenceServiceBase
{
    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    public override Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerReadyResponse { Ready = gateway.Registry.IsReady });

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
        response.Versions.AddRange(gateway.Registry.Models[request.Name].Versions.Select(v => v.Version.ToString(CultureInfo.InvariantCulture)));
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
        try
        {
            using var ticket = gateway.Admit(new AdmissionRequest(request.ModelName, request.ModelVersion) { Parameters = GrpcParameters.Read(request.Parameters) });
            InferenceInputs inputs;
            using (InferenceTelemetry.Source.StartActivity(InferenceTelemetry.PreprocessSpan))
            {
                inputs = new InferenceInputs(GrpcTensors.ReadInputs(request), request.Outputs.Select(o => o.Name).ToList());
            }

            var results = await gateway.SubmitAsync(ticket, inputs, context.CancellationToken).ConfigureAwait(false);
            var response = new ModelInferResponse { ModelName = request.ModelName, ModelVersion = ticket.Model.Version.ToString(CultureInfo.InvariantCulture), Id = request.Id };
            GrpcTensors.WriteOutputs(response, results);
            return response;
        }
        catch (InferenceException e)
        {
            throw GrpcErrors.From(e);
        }
    }

    private ModelVersion Find(string name, string version)
    {
        try
        {
            return gateway.Registry.Lookup(name, version);
        }
        catch (InferenceException e)
        {
            throw GrpcErrors.From(e);
        }
    }
}

using System.Globalization;
using Grpc.Core;
using InferenceService.Grpc;
using InferenceService.Hosting;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Telemetry;
using Microsoft.Extensions.Options;
using TritonStatisticsResponse = InferenceService.Grpc.ModelStatisticsResponse;

namespace InferenceService.Apis;

/// <summary>
/// Triton's gRPC API (the Open Inference Protocol and Triton's extensions): an adapter over the same request path,
/// statistics, configuration and repository control as the REST API.
/// </summary>
internal sealed partial class GrpcInferenceApi(
    InferenceGateway gateway,
    ServerExtensions extensions,
    ModelManager manager,
    IOptions<AdminOptions> admin,
    IOptions<ModelRepositoryOptions> repository,
    RuntimeLogSettings logSettings,
    ILogger<GrpcInferenceApi> logger) : GRPCInferenceService.GRPCInferenceServiceBase
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
        response.Extensions.AddRange(extensions.Names);
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
            return await InferAsync(request, context.CancellationToken).ConfigureAwait(false);
        }
        catch (InferenceException e)
        {
            throw GrpcErrors.From(e);
        }
    }

    public override async Task ModelStreamInfer(IAsyncStreamReader<ModelInferRequest> requestStream, IServerStreamWriter<ModelStreamInferResponse> responseStream, ServerCallContext context)
    {
        using var stream = new GrpcInferStream(InferAsync, responseStream, logger);
        await stream.RunAsync(requestStream, context.CancellationToken).ConfigureAwait(false);
    }

    public override Task<ModelConfigResponse> ModelConfig(ModelConfigRequest request, ServerCallContext context) =>
        Task.FromResult(new ModelConfigResponse { Config = TritonModelConfig.From(Find(request.Name, request.Version)) });

    public override Task<TritonStatisticsResponse> ModelStatistics(ModelStatisticsRequest request, ServerCallContext context)
    {
        try
        {
            return Task.FromResult(GrpcStatistics.From(StatisticsApi.Collect(gateway.Registry, request.Name, request.Version)));
        }
        catch (InferenceException e)
        {
            throw GrpcErrors.From(e);
        }
    }

    /// <summary>
    /// The one gRPC inference path, for ModelInfer and each request of a stream, as the REST route does it: admit
    /// (refused before any tensor is decoded), decode, submit, encode. Refusals are <see cref="InferenceException"/>s.
    /// </summary>
    private async Task<ModelInferResponse> InferAsync(ModelInferRequest request, CancellationToken cancellationToken)
    {
        using var ticket = gateway.Admit(new AdmissionRequest(request.ModelName, request.ModelVersion) { Parameters = GrpcParameters.Read(request.Parameters) });
        InferenceInputs inputs;
        using (InferenceTelemetry.Source.StartActivity(InferenceTelemetry.PreprocessSpan))
        {
            inputs = new InferenceInputs(GrpcTensors.ReadInputs(request), request.Outputs.Select(o => o.Name).ToList());
        }

        var results = await gateway.SubmitAsync(ticket, inputs, cancellationToken).ConfigureAwait(false);
        var response = new ModelInferResponse { ModelName = request.ModelName, ModelVersion = ticket.Model.Version.ToString(CultureInfo.InvariantCulture), Id = request.Id };
        GrpcTensors.WriteOutputs(response, results);
        return response;
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

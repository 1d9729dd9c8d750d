using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Protocol;
using InferenceService.Runtime.Repository;
using InferenceService.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace InferenceService.Apis;

/// <summary>The Open Inference Protocol (KServe V2) REST API, as Triton serves it.</summary>
public static class V2Api
{
    public const string InferOperation = "V2ModelInfer";
    public const string InferVersionOperation = "V2ModelVersionInfer";
    public const string ServerName = "inference-service";

    public static string ServerVersion { get; } = typeof(V2Api).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";

    public static IEndpointRouteBuilder MapV2Api(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2").WithTags("Open Inference Protocol (V2)");
        v2.MapGet(string.Empty, ServerMetadata).WithName("V2ServerMetadata").WithSummary("Server metadata: name, version, extensions.");
        v2.MapGet("/health/live", Live).WithName("V2ServerLive").WithSummary("200 while the process is up.");
        v2.MapGet("/health/ready", Ready).WithName("V2ServerReady").WithSummary("200 when every model is ready, else 503.");
        v2.MapGet("/models/{name}", (string name, ModelRegistry r) => ModelMetadata(name, null, r))
            .WithName("V2ModelMetadata").WithSummary("Inputs, outputs, versions and execution provider of a model (newest ready version).");
        v2.MapGet("/models/{name}/versions/{version}", ModelMetadata).WithName("V2ModelVersionMetadata").WithSummary("Metadata of one model version.");
        v2.MapGet("/models/{name}/ready", (string name, ModelRegistry r) => ModelReady(name, null, r))
            .WithName("V2ModelReady").WithSummary("200 when the model is ready, 503 when not, 404 when unknown.");
        v2.MapGet("/models/{name}/versions/{version}/ready", ModelReady).WithName("V2ModelVersionReady").WithSummary("Readiness of one model version.");
        v2.MapPost("/models/{name}/infer", (string name, HttpRequest request, InferenceGateway g, IOptions<LimitsOptions> l) => Infer(name, null, request, g, l))
            .WithName(InferOperation).WithSummary("Run inference (JSON tensors).")
            .Produces<InferResponseBody>().Produces<V2Error>(StatusCodes.Status400BadRequest).Produces<V2Error>(StatusCodes.Status404NotFound)
            .Produces<V2Error>(StatusCodes.Status413PayloadTooLarge).Produces<V2Error>(StatusCodes.Status503ServiceUnavailable);
        v2.MapPost("/models/{name}/versions/{version}/infer", Infer)
            .WithName(InferVersionOperation).WithSummary("Run inference on one model version.")
            .Produces<InferResponseBody>().Produces<V2Error>(StatusCodes.Status400BadRequest).Produces<V2Error>(StatusCodes.Status404NotFound);
        return app;
    }

    private static Ok<V2ServerMetadata> ServerMetadata(ServerExtensions extensions) =>
        TypedResults.Ok(new V2ServerMetadata(ServerName, ServerVersion, extensions.Names));

    private static Ok Live() => TypedResults.Ok();

    private static Results<Ok, JsonHttpResult<V2Error>> Ready(ModelRegistry registry) =>
        registry.IsReady ? TypedResults.Ok() : V2Errors.Error(StatusCodes.Status503ServiceUnavailable, registry.Readiness);

    private static Results<Ok<V2ModelMetadata>, JsonHttpResult<V2Error>> ModelMetadata(string name, string? version, ModelRegistry registry)
    {
        if (!TryFind(name, version, registry, out var model, out var error))
        {
            return error;
        }

        var config = model.Config;
        var batch = config.MaxBatchSize > 0;
        var entry = registry.Models[name];
        return TypedResults.Ok(new V2ModelMetadata(
            name,
            entry.Versions.Select(v => v.Version.ToString(CultureInfo.InvariantCulture)).ToList(),
            config.Platform,
            config.Inputs.Select(t => new TensorMetadata(t.Name, t.Datatype, batch ? [-1, .. t.Dims] : t.Dims)).ToList(),
            config.Outputs.Select(t => new TensorMetadata(t.Name, t.Datatype, batch ? [-1, .. t.Dims] : t.Dims)).ToList(),
            new V2ModelMetadataParameters(model.State.ToString().ToUpperInvariant(), model.Reason, model.ExecutionProvider, model.Pool?.InstanceCount ?? 0, model.Pool?.IntraOpThreads ?? 0, config.MaxBatchSize)
            {
                ProducerName = model.Graph?.ProducerName,
                ProducerVersion = model.Graph?.ProducerVersion,
                Opset = model.Graph?.Opset,
                IrVersion = model.Graph?.IrVersion,
                GraphName = model.Graph?.GraphName,
                DocString = model.Graph?.DocString,
            }));
    }

    private static Results<Ok<V2ModelReady>, JsonHttpResult<V2Error>> ModelReady(string name, string? version, ModelRegistry registry)
    {
        if (!TryFind(name, version, registry, out var model, out var error))
        {
            return error;
        }

        return model.State == ModelState.Ready
            ? TypedResults.Ok(new V2ModelReady(name, model.Version.ToString(CultureInfo.InvariantCulture), true))
            : V2Errors.Error(StatusCodes.Status503ServiceUnavailable, model.NotReadyMessage);
    }

    private static async Task<Results<V2InferResult, JsonHttpResult<V2Error>, EmptyHttpResult>> Infer(string name, string? version, HttpRequest request, InferenceGateway gateway, IOptions<LimitsOptions> limits)
    {
        try
        {
            using var ticket = gateway.Admit(new AdmissionRequest(name, version));
            V2InferRequest decoded;
            using (InferenceTelemetry.Source.StartActivity(InferenceTelemetry.PreprocessSpan))
            {
                decoded = await RequestBody.ReadAsync(request, limits.Value.MaxRequestBodyBytes, body => Decode(ticket.Model, request, body)).ConfigureAwait(false);
                if (decoded.Id is { } id)
                {
                    // The client's request id (never the body) ties its logs and spans together.
                    Activity.Current?.Parent?.SetTag("inference.request_id", id);
                }
            }

            var inputs = new InferenceInputs(decoded.Inputs, decoded.Outputs) { Parameters = decoded.Parameters };
            var outputs = await gateway.SubmitAsync(ticket, inputs, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return new V2InferResult(name, ticket.Model.Version, decoded, outputs);
        }
        catch (RequestBodyTooLargeException e)
        {
            return V2Errors.Error(StatusCodes.Status413PayloadTooLarge, e.Message);
        }
        catch (InferenceException e)
        {
            return V2Errors.From(e, request.HttpContext.Response);
        }
        catch (OperationCanceledException) when (request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody reads the answer.
            return TypedResults.Empty;
        }
    }

    /// <summary>
    /// JSON, JSON header + binary tensors, or a raw binary body, per the Inference-Header-Content-Length header. A raw
    /// binary body is copied from the server's buffers straight into its tensor; the others are read from one piece of
    /// memory (the buffer itself when the body fits in one, else a copy).
    /// </summary>
    private static V2InferRequest Decode(ModelVersion model, HttpRequest request, ReadOnlySequence<byte> received)
    {
        if (!request.Headers.TryGetValue(V2InferResult.HeaderLengthName, out var value))
        {
            return V2JsonRequestReader.Read(Contiguous(received));
        }

        if (!int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var headerLength) || headerLength > received.Length)
        {
            throw InferenceException.BadRequest($"{V2InferResult.HeaderLengthName} must be an integer from 0 to the body length {received.Length}, got '{value}'.");
        }

        if (headerLength == 0)
        {
            return RawBinaryRequest.Build(model.Name, model.Config, received);
        }

        var body = Contiguous(received);
        return V2JsonRequestReader.Read(body[..headerLength], body[headerLength..]);
    }

    private static ReadOnlyMemory<byte> Contiguous(ReadOnlySequence<byte> body) => body.IsSingleSegment ? body.First : body.ToArray();

    private static bool TryFind(string name, string? version, ModelRegistry registry, out ModelVersion model, out JsonHttpResult<V2Error> error)
    {
        try
        {
            model = registry.Lookup(name, version);
            error = null!;
            return true;
        }
        catch (InferenceException e)
        {
            model = null!;
            error = V2Errors.Error(V2Errors.StatusOf(e.Kind), e.Message);
            return false;
        }
    }
}

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

    /// <summary>Protocol extensions served (Triton's names).</summary>
    public static readonly IReadOnlyList<string> Extensions = ["binary_tensor_data", "model_repository", "statistics"];

    public static string ServerVersion { get; } = typeof(V2Api).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";

    public static IEndpointRouteBuilder MapV2Api(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2").WithTags("Open Inference Protocol (V2)");
        v2.MapGet(string.Empty, ServerMetadata).WithName("V2ServerMetadata").WithSummary("Server metadata: name, version, extensions.");
        v2.MapGet("/health/live", Live).WithName("V2ServerLive").WithSummary("200 while the process is up.");
        v2.MapGet("/health/ready", Ready).WithName("V2ServerReady").WithSummary("200 when every model is ready, else 503.");
        v2.MapGet("/models/{name}", (string name, ModelManager m) => ModelMetadata(name, null, m))
            .WithName("V2ModelMetadata").WithSummary("Inputs, outputs, versions and execution provider of a model (newest ready version).");
        v2.MapGet("/models/{name}/versions/{version}", ModelMetadata).WithName("V2ModelVersionMetadata").WithSummary("Metadata of one model version.");
        v2.MapGet("/models/{name}/ready", (string name, ModelManager m) => ModelReady(name, null, m))
            .WithName("V2ModelReady").WithSummary("200 when the model is ready, 503 when not, 404 when unknown.");
        v2.MapGet("/models/{name}/versions/{version}/ready", ModelReady).WithName("V2ModelVersionReady").WithSummary("Readiness of one model version.");
        v2.MapPost("/models/{name}/infer", (string name, HttpRequest request, ModelManager m, IOptions<LimitsOptions> l) => Infer(name, null, request, m, l))
            .WithName(InferOperation).WithSummary("Run inference (JSON tensors).")
            .Produces<InferResponseBody>().Produces<V2Error>(StatusCodes.Status400BadRequest).Produces<V2Error>(StatusCodes.Status404NotFound)
            .Produces<V2Error>(StatusCodes.Status413PayloadTooLarge).Produces<V2Error>(StatusCodes.Status503ServiceUnavailable);
        v2.MapPost("/models/{name}/versions/{version}/infer", Infer)
            .WithName(InferVersionOperation).WithSummary("Run inference on one model version.")
            .Produces<InferResponseBody>().Produces<V2Error>(StatusCodes.Status400BadRequest).Produces<V2Error>(StatusCodes.Status404NotFound);
        return app;
    }

    private static Ok<V2ServerMetadata> ServerMetadata() =>
        TypedResults.Ok(new V2ServerMetadata(ServerName, ServerVersion, Extensions));

    private static Ok Live() => TypedResults.Ok();

    private static Results<Ok, JsonHttpResult<V2Error>> Ready(ModelManager manager) =>
        manager.IsReady ? TypedResults.Ok() : Error(StatusCodes.Status503ServiceUnavailable, manager.IsDraining ? "The server is shutting down." : "Not every model is ready yet.");

    private static Results<Ok<V2ModelMetadata>, JsonHttpResult<V2Error>> ModelMetadata(string name, string? version, ModelManager manager)
    {
        if (!TryFind(name, version, manager, out var model, out var error))
        {
            return error;
        }

        var config = model.Config;
        var batch = config.MaxBatchSize > 0;
        var entry = manager.Models[name];
        return TypedResults.Ok(new V2ModelMetadata(
            name,
            entry.Versions.Select(v => v.Version.ToString(CultureInfo.InvariantCulture)).ToList(),
            config.Platform,
            config.Inputs.Select(t => new TensorMetadata(t.Name, t.Datatype, batch ? [-1, .. t.Dims] : t.Dims)).ToList(),
            config.Outputs.Select(t => new TensorMetadata(t.Name, t.Datatype, batch ? [-1, .. t.Dims] : t.Dims)).ToList(),
            new V2ModelMetadataParameters(model.State.ToString().ToUpperInvariant(), model.Reason, model.ExecutionProvider, model.Pool?.InstanceCount ?? 0, model.Pool?.IntraOpThreads ?? 0, config.MaxBatchSize)));
    }

    private static Results<Ok<V2ModelReady>, JsonHttpResult<V2Error>> ModelReady(string name, string? version, ModelManager manager)
    {
        if (!TryFind(name, version, manager, out var model, out var error))
        {
            return error;
        }

        var v = model.Version.ToString(CultureInfo.InvariantCulture);
        return model.State == ModelState.Ready
            ? TypedResults.Ok(new V2ModelReady(name, v, true))
            : Error(StatusCodes.Status503ServiceUnavailable, $"Model '{name}' version {v} is not ready: {model.State}{(model.Reason is null ? string.Empty : " (" + model.Reason + ")")}.");
    }

    private static async Task<Results<V2InferResult, JsonHttpResult<V2Error>, EmptyHttpResult>> Infer(string name, string? version, HttpRequest request, ModelManager manager, IOptions<LimitsOptions> limits)
    {
        if (!TryParseVersion(version, out var number, out var versionError))
        {
            return versionError;
        }

        using var lease = manager.Acquire(name, number, out var lookup, out var message);
        if (lease is null)
        {
            return Error(lookup == ModelLookup.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status503ServiceUnavailable, message!);
        }

        var model = lease.Version;
        var submitted = false;
        try
        {
            V2InferRequest decoded;
            InferenceRequest validated;
            using (var span = InferenceTelemetry.Source.StartActivity(InferenceTelemetry.PreprocessSpan))
            {
                var body = await RequestBody.ReadAsync(request, limits.Value.MaxRequestBodyBytes).ConfigureAwait(false);
                decoded = Decode(name, model, request, body);
                var timeout = decoded.TimeoutMicroseconds is { } us ? TimeSpan.FromMicroseconds(us) : (TimeSpan?)null;
                validated = RequestValidator.Validate(name, model.Config, decoded.Inputs, decoded.Outputs, decoded.Priority, timeout);
                if (decoded.Id is { } id)
                {
                    // The client's request id (never the body) ties its logs and spans together.
                    Activity.Current?.Parent?.SetTag("inference.request_id", id);
                }
            }

            submitted = true;
            var outputs = await model.Runner!.InferAsync(validated, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return new V2InferResult(name, model.Version, decoded, outputs);
        }
        catch (RequestBodyTooLargeException e)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, e.Message);
        }
        catch (InferenceException e)
        {
            if (!submitted)
            {
                // The runner counts what reaches it; a request that did not fit the model is counted here.
                InferenceTelemetry.RecordFailure(name, model.Version, InferenceTelemetry.ReasonOf(e));
            }

            if (e.RetryAfterSeconds is { } retry)
            {
                request.HttpContext.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
            }

            return Error(StatusOf(e.Kind), e.Message);
        }
        catch (OperationCanceledException) when (request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody reads the answer.
            return TypedResults.Empty;
        }
    }

    /// <summary>JSON, JSON header + binary tensors, or a raw binary body, per the Inference-Header-Content-Length header.</summary>
    private static V2InferRequest Decode(string name, ModelVersion model, HttpRequest request, ReadOnlyMemory<byte> body)
    {
        if (!request.Headers.TryGetValue(V2InferResult.HeaderLengthName, out var value))
        {
            return V2JsonRequestReader.Read(body);
        }

        if (!int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var headerLength) || headerLength > body.Length)
        {
            throw InferenceException.BadRequest($"{V2InferResult.HeaderLengthName} must be an integer from 0 to the body length {body.Length}, got '{value}'.");
        }

        return headerLength == 0
            ? RawBinaryRequest.Build(name, model.Config, body.Span)
            : V2JsonRequestReader.Read(body[..headerLength], body[headerLength..]);
    }

    internal static int StatusOf(InferenceErrorKind kind) => kind switch
    {
        InferenceErrorKind.BadRequest => StatusCodes.Status400BadRequest,
        InferenceErrorKind.NotFound => StatusCodes.Status404NotFound,
        InferenceErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        InferenceErrorKind.Timeout => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static bool TryParseVersion(string? version, out long? number, out JsonHttpResult<V2Error> error)
    {
        var ok = VersionNumber.TryParse(version, out number, out var message);
        error = ok ? null! : Error(StatusCodes.Status400BadRequest, message!);
        return ok;
    }

    private static bool TryFind(string name, string? version, ModelManager manager, out ModelVersion model, out JsonHttpResult<V2Error> error)
    {
        if (!TryParseVersion(version, out var number, out error))
        {
            model = null!;
            return false;
        }

        var found = manager.Find(name, number, out var message);
        model = found!;
        error = found is null ? Error(StatusCodes.Status404NotFound, message!) : null!;
        return found is not null;
    }

    private static JsonHttpResult<V2Error> Error(int status, string message) => TypedResults.Json(new V2Error(message), statusCode: status);
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using InferenceService.Hosting;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using InferenceService.Runtime.Repository;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace InferenceService.Apis;

/// <summary>
/// OpenAI's embeddings API over the repository's text embedders, so OpenAI's SDKs, Microsoft.Extensions.AI and RAG
/// tools work unchanged: POST /v1/embeddings, GET /v1/models[/{id}]. A thin adapter: the model named in the body is
/// admitted once the (bounded) body is read, then the text-embedder pipeline does the work, as /v1/text/embeddings.
/// </summary>
public static class OpenAIApi
{
    public const string EmbeddingsOperation = "OpenAIEmbeddings";
    public const string OwnedBy = V2Api.ServerName;

    private const string TextInputLimit = "OpenAI:MaxInputs";

    public static IEndpointRouteBuilder MapOpenAIApi(this IEndpointRouteBuilder app)
    {
        var openai = app.MapGroup("/v1").WithTags("OpenAI-compatible").AddEndpointFilter(RequireApiKey);
        openai.MapPost("/embeddings", Embeddings).WithName(EmbeddingsOperation)
            .WithSummary("OpenAI embeddings: sentence embeddings of a text-embedder model (pooled and normalised as its pipeline says) of a string, strings or token ids.")
            .Accepts<OpenAIEmbeddingRequest>("application/json")
            .Produces<OpenAIErrorResponse>(StatusCodes.Status400BadRequest).Produces<OpenAIErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status404NotFound).Produces<OpenAIErrorResponse>(StatusCodes.Status413PayloadTooLarge);
        openai.MapGet("/models", Models).WithName("OpenAIModels").WithSummary("OpenAI model list: the text-embedding models served.");
        openai.MapGet("/models/{id}", Model).WithName("OpenAIModel").WithSummary("One text-embedding model as an OpenAI model object.")
            .Produces<OpenAIErrorResponse>(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>True for the paths this API owns, whose unrouted errors take OpenAI's shape too.</summary>
    public static bool Owns(PathString path) =>
        path.StartsWithSegments("/v1/embeddings", StringComparison.Ordinal) || path.StartsWithSegments("/v1/models", StringComparison.Ordinal);

    private static Task<Results<Ok<OpenAIEmbeddingResponse>, JsonHttpResult<OpenAIErrorResponse>>> Embeddings(
        HttpRequest request, InferenceGateway gateway, IOptions<TaskLimitsOptions> tasks, IOptions<OpenAIOptions> options, CancellationToken cancellationToken) =>
        OpenAIErrors.RunAsync(request.HttpContext.Response, async () =>
        {
            var limits = tasks.Value;
            var body = await TaskJson.ReadAsync<OpenAIEmbeddingRequest>(request, limits.MaxTextBodyBytes, cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(body.Model))
            {
                throw new OpenAIException(StatusCodes.Status400BadRequest, "You must provide a model parameter (GET /v1/models lists them).", "model");
            }

            var base64 = body.EncodingFormat switch
            {
                null or "float" => false,
                "base64" => true,
                _ => throw new OpenAIException(StatusCodes.Status400BadRequest, $"'encoding_format' must be 'float' or 'base64', not '{body.EncodingFormat}'.", "encoding_format"),
            };

            // input_type as NVIDIA NIM's OpenAI-compatible embeddings take it: the model's query or passage prefix.
            var type = body.InputType switch
            {
                null => TextInputType.None,
                "query" => TextInputType.Query,
                "passage" => TextInputType.Passage,
                _ => throw new OpenAIException(StatusCodes.Status400BadRequest, $"'input_type' must be 'query' or 'passage' (or absent), not '{body.InputType}'.", "input_type"),
            };

            using var ticket = gateway.AdmitPipeline<TextEmbedder>(body.Model, PipelineKinds.TextEmbedder, out var embedder);
            if (body.Dimensions is { } wanted && (wanted < 1 || wanted > embedder.Width))
            {
                throw new OpenAIException(StatusCodes.Status400BadRequest, $"'dimensions' must be between 1 and {embedder.Width} for model '{ticket.Model.Name}', got {wanted}.", "dimensions");
            }

            // Texts are cut to Tasks:MaxTokens as on /v1/text (MiniLM's training length); ids are taken as given, so never cut.
            var inputs = CompatInputs.Parse(body.Input, "input", options.Value.MaxInputs, TextInputLimit);
            var rules = new CompatEncodingRules(limits.MaxTokens, limits.MaxTextCharacters, TruncateTexts: true, TruncateIds: false, TruncationDirection.Right, "Send at most that many token ids.");
            var encoded = CompatEncoding.Encode(embedder, ticket, inputs, "input", rules, type);
            var embeddings = await embedder.EmbedAsync(gateway, ticket, encoded, embedder.Normalize, cancellationToken).ConfigureAwait(false);
            var data = embeddings
                .Select((e, i) => new OpenAIEmbedding("embedding", i, Encode(Shorten(e.Vector, body.Dimensions, embedder.Normalize), base64)))
                .ToList();
            var tokens = embeddings.Sum(e => e.Tokens);
            return new OpenAIEmbeddingResponse("list", data, ticket.Model.Name, new OpenAIUsage(tokens, tokens));
        });

    private static Ok<OpenAIModelList> Models(ModelRegistry registry) =>
        TypedResults.Ok(new OpenAIModelList("list", EmbeddingModels(registry).Select(ToModel).ToList()));

    private static Results<Ok<OpenAIModel>, JsonHttpResult<OpenAIErrorResponse>> Model(string id, ModelRegistry registry)
    {
        var models = EmbeddingModels(registry).ToList();
        return models.FirstOrDefault(m => m.Name == id) is { } model
            ? TypedResults.Ok(ToModel(model))
            : OpenAIErrors.Error(StatusCodes.Status404NotFound,
                $"The model '{id}' does not exist or is not a text-embedding model; available: {(models.Count == 0 ? "none is loaded" : string.Join(", ", models.Select(m => m.Name)))}.",
                "model", "model_not_found");
    }

    /// <summary>Loaded models whose newest version is a text embedder, by name.</summary>
    private static IEnumerable<ModelEntry> EmbeddingModels(ModelRegistry registry) => registry.Models.Values
        .Where(m => !m.IsUnloaded && m.Default?.Pipeline?.Kind == PipelineKinds.TextEmbedder)
        .OrderBy(m => m.Name, StringComparer.Ordinal);

    private static OpenAIModel ToModel(ModelEntry model) =>
        new(model.Name, "model", new DateTimeOffset(Directory.GetLastWriteTimeUtc(model.Default!.Directory)).ToUnixTimeSeconds(), OwnedBy);

    /// <summary>The first <paramref name="dimensions"/> values, renormalised to unit length (how OpenAI's shortened embeddings are made) when the model normalises.</summary>
    private static float[] Shorten(float[] vector, int? dimensions, bool normalize)
    {
        if (dimensions is not { } n || n >= vector.Length)
        {
            return vector;
        }

        var shortened = vector[..n];
        if (normalize)
        {
            VectorMath.L2Normalize(shortened);
        }

        return shortened;
    }

    /// <summary>The floats, or as OpenAI's base64: the little-endian float32 bytes.</summary>
    private static object Encode(float[] vector, bool base64)
    {
        if (!base64)
        {
            return vector;
        }

        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return Convert.ToBase64String(bytes);
    }

    /// <summary>With OpenAI:ApiKey set, the bearer token must match (compared in constant time; never logged or echoed).</summary>
    private static async ValueTask<object?> RequireApiKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var expected = http.RequestServices.GetRequiredService<IOptions<OpenAIOptions>>().Value.ApiKey;
        if (string.IsNullOrEmpty(expected))
        {
            return await next(context).ConfigureAwait(false);
        }

        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length == "Bearer ".Length)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return OpenAIErrors.Error(StatusCodes.Status401Unauthorized,
                "You didn't provide an API key. Send it in an Authorization header using Bearer auth (Authorization: Bearer YOUR_KEY); it is the OpenAI:ApiKey setting.");
        }

        var ok = CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim())),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
        if (ok)
        {
            return await next(context).ConfigureAwait(false);
        }

        http.Response.Headers.WWWAuthenticate = "Bearer";
        return OpenAIErrors.Error(StatusCodes.Status401Unauthorized, "Incorrect API key provided.", code: "invalid_api_key");
    }
}

using InferenceService.Hosting;
using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using InferenceService.Runtime.Repository;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace InferenceService.Apis;

/// <summary>
/// Hugging Face text-embeddings-inference's HTTP API over one text embedder (Tei:Model), so TEI clients and RAG tools
/// that speak it work unchanged. Like TEI for an embedding model, POST / is /embed. The model is admitted before the
/// body is read, then the text-embedder pipeline does the work; inputs over the model's max_batch_size are sent in
/// several batches, up to Tei:MaxClientBatchSize per request. /rerank scores with the cosine of sentence embeddings:
/// MiniLM is a bi-encoder, not a cross-encoder (/info says so).
/// </summary>
public static class TeiApi
{
    public const string RerankScores = "cosine of the query's and each text's sentence embedding (bi-encoder, not a cross-encoder); raw_scores has no effect";

    private const string BatchLimit = "Tei:MaxClientBatchSize";
    private const string Tag = "Text Embeddings Inference (TEI)-compatible";

    private static readonly HashSet<string> Paths = new(["/embed", "/similarity", "/rerank", "/tokenize", "/info"], StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapTeiApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (string.IsNullOrEmpty(app.ServiceProvider.GetRequiredService<IOptions<TeiOptions>>().Value.Model))
        {
            return app;
        }

        app.MapPost("/embed", Embed).WithName("TeiEmbed").WithTags(Tag).Accepts<TeiEmbedRequest>("application/json")
            .WithSummary("TEI embed: one embedding per input (pooled as the model says; L2-normalised unless \"normalize\": false or the model does not normalise), as a list of lists.");
        app.MapPost("/", Embed).WithName("TeiRoot").WithTags(Tag).Accepts<TeiEmbedRequest>("application/json")
            .WithSummary("TEI's route for an embedding model: the same as POST /embed.");
        app.MapPost("/similarity", Similarity).WithName("TeiSimilarity").WithTags(Tag).Accepts<TeiSimilarityRequest>("application/json")
            .WithSummary("TEI sentence similarity: the cosine of inputs.source_sentence to each of inputs.sentences, in order.");
        app.MapPost("/rerank", Rerank).WithName("TeiRerank").WithTags(Tag).Accepts<TeiRerankRequest>("application/json")
            .WithSummary("TEI rerank: texts by score, highest first; the score is the cosine to the query (bi-encoder).");
        app.MapPost("/tokenize", Tokenize).WithName("TeiTokenize").WithTags(Tag).Accepts<TeiTokenizeRequest>("application/json")
            .WithSummary("TEI tokenize: per input its tokens with id, text, special and code-point offsets start/stop.");
        app.MapGet("/info", Info).WithName("TeiInfo").WithTags(Tag)
            .WithSummary("TEI info: the model, its limits and how /rerank scores.");
        return app;
    }

    /// <summary>True for the requests this API owns, whose unrouted errors take TEI's shape too (GET / is the demo page).</summary>
    public static bool Owns(PathString path, string method) =>
        Paths.Contains(path.Value ?? string.Empty) || (path == "/" && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method));

    private static Task<Results<Ok<IReadOnlyList<float[]>>, JsonHttpResult<TeiErrorResponse>>> Embed(
        HttpRequest request, InferenceGateway gateway, IOptions<TeiOptions> tei, IOptions<TaskLimitsOptions> tasks, CancellationToken cancellationToken) =>
        TeiErrors.RunAsync(request.HttpContext.Response, async () =>
        {
            var (ticket, embedder, body) = await AdmitAsync<TeiEmbedRequest>(request, gateway, tei.Value, tasks.Value, cancellationToken).ConfigureAwait(false);
            using var held = ticket;
            var prompt = Prompt(body.PromptName, embedder, ticket);
            var inputs = CompatInputs.Parse(body.Inputs, "inputs", tei.Value.MaxClientBatchSize, BatchLimit);
            var encoded = CompatEncoding.Encode(embedder, ticket, inputs, "inputs", Rules(tasks.Value, body.Truncate, body.TruncationDirection), prompt);
            var embeddings = await embedder.EmbedAsync(gateway, ticket, encoded, body.Normalize ?? embedder.Normalize, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<float[]>)embeddings.Select(e => e.Vector).ToList();
        });

    private static Task<Results<Ok<IReadOnlyList<float>>, JsonHttpResult<TeiErrorResponse>>> Similarity(
        HttpRequest request, InferenceGateway gateway, IOptions<TeiOptions> tei, IOptions<TaskLimitsOptions> tasks, CancellationToken cancellationToken) =>
        TeiErrors.RunAsync(request.HttpContext.Response, async () =>
        {
            var (ticket, embedder, body) = await AdmitAsync<TeiSimilarityRequest>(request, gateway, tei.Value, tasks.Value, cancellationToken).ConfigureAwait(false);
            using var held = ticket;
            var prompt = Prompt(body.Parameters?.PromptName, embedder, ticket);
            var source = body.Inputs?.SourceSentence ?? throw Unreadable("'inputs.source_sentence' is required: the text the sentences are compared with.");
            var sentences = body.Inputs.Sentences ?? throw Unreadable("'inputs.sentences' is required: the texts compared with the source sentence.");
            if (sentences.Count == 0)
            {
                throw new TeiException(StatusCodes.Status400BadRequest, TeiErrors.Empty, "'inputs.sentences' cannot be empty.");
            }

            // +1: the source sentence is embedded in the same batch.
            RequireBatch(sentences.Count + 1, tei.Value.MaxClientBatchSize);
            var embeddings = await EmbedWithQueryAsync(embedder, gateway, ticket, (source, "inputs.source_sentence"), sentences, "inputs.sentences", Rules(tasks.Value, body.Parameters?.Truncate, body.Parameters?.TruncationDirection), (prompt, prompt), cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<float>)embeddings.Skip(1).Select(e => VectorMath.Cosine(embeddings[0].Vector, e.Vector)).ToList();
        });

    private static Task<Results<Ok<IReadOnlyList<TeiRank>>, JsonHttpResult<TeiErrorResponse>>> Rerank(
        HttpRequest request, InferenceGateway gateway, IOptions<TeiOptions> tei, IOptions<TaskLimitsOptions> tasks, CancellationToken cancellationToken) =>
        TeiErrors.RunAsync(request.HttpContext.Response, async () =>
        {
            var (ticket, embedder, body) = await AdmitAsync<TeiRerankRequest>(request, gateway, tei.Value, tasks.Value, cancellationToken).ConfigureAwait(false);
            using var held = ticket;
            var query = body.Query ?? throw Unreadable("'query' is required: the text the texts are ranked against.");
            var texts = body.Texts ?? throw Unreadable("'texts' is required: the texts to rank.");
            if (texts.Count == 0)
            {
                throw new TeiException(StatusCodes.Status400BadRequest, TeiErrors.Empty, "'texts' cannot be empty.");
            }

            RequireBatch(texts.Count, tei.Value.MaxClientBatchSize);
            // A query and the passages it ranks: each gets the model's prefix for what it is (E5, BGE).
            var embeddings = await EmbedWithQueryAsync(embedder, gateway, ticket, (query, "query"), texts, "texts", Rules(tasks.Value, body.Truncate, body.TruncationDirection), (TextInputType.Query, TextInputType.Passage), cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<TeiRank>)texts
                .Select((text, i) => new TeiRank(i, body.ReturnText == true ? text : null, VectorMath.Cosine(embeddings[0].Vector, embeddings[i + 1].Vector)))
                .OrderByDescending(r => r.Score)
                .ThenBy(r => r.Index)
                .ToList();
        });

    private static Task<Results<Ok<IReadOnlyList<IReadOnlyList<TextToken>>>, JsonHttpResult<TeiErrorResponse>>> Tokenize(
        HttpRequest request, InferenceGateway gateway, IOptions<TeiOptions> tei, IOptions<TaskLimitsOptions> tasks, CancellationToken cancellationToken) =>
        TeiErrors.RunAsync(request.HttpContext.Response, async () =>
        {
            var limits = tasks.Value;
            var (ticket, embedder, body) = await AdmitAsync<TeiTokenizeRequest>(request, gateway, tei.Value, limits, cancellationToken).ConfigureAwait(false);
            using var held = ticket;
            var prefix = embedder.Prefix(Prompt(body.PromptName, embedder, ticket));
            var inputs = CompatInputs.Parse(body.Inputs, "inputs", tei.Value.MaxClientBatchSize, BatchLimit);
            var tokens = new List<IReadOnlyList<TextToken>>(inputs.Count);
            for (var i = 0; i < inputs.Count; i++)
            {
                var field = inputs.Count == 1 ? "inputs" : $"inputs[{i}]";
                var text = inputs[i].Text ?? throw new CompatInputException(CompatInputError.Invalid, field, $"'{field}' must be a string: /tokenize takes texts, not token ids.");
                if (text.Length > limits.MaxTextCharacters)
                {
                    throw new CompatInputException(CompatInputError.TooLong, field, $"'{field}' has {text.Length} characters; the limit is {limits.MaxTextCharacters} (Tasks:MaxTextCharacters).");
                }

                // With a prompt, offsets count in the prompted text (the prompt first), as TEI's do.
                tokens.Add(embedder.Tokenizer.Tokenize(prefix + text, body.AddSpecialTokens ?? true));
            }

            return (IReadOnlyList<IReadOnlyList<TextToken>>)tokens;
        });

    private static Results<Ok<TeiInfo>, JsonHttpResult<TeiErrorResponse>> Info(ModelRegistry registry, IOptions<TeiOptions> tei, IOptions<TaskLimitsOptions> tasks)
    {
        var name = tei.Value.Model!;
        if (registry.ConfigOf(name) is not { } config)
        {
            return TeiErrors.Error(StatusCodes.Status424FailedDependency, TeiErrors.Backend, $"Tei:Model names '{name}', which is not in the model repository.");
        }

        var embedder = registry.Models.TryGetValue(name, out var entry) ? entry.Default?.Pipeline as TextEmbedder : null;
        var maxTokens = embedder?.TokenLimit(tasks.Value.MaxTokens) ?? tasks.Value.MaxTokens;
        var pooling = embedder?.Pooling switch
        {
            TextPooling.Cls => "cls",
            TextPooling.LastToken => "last_token",
            _ => "mean",
        };
        var batch = Math.Max(1, config.MaxBatchSize);
        var queue = config.DynamicBatching is { } batching
            ? (batching.MaxQueueSize > 0 ? batching.MaxQueueSize : DynamicBatchingConfig.DefaultMaxQueueSize)
            : config.InstanceCount;
        var dtype = config.Outputs.FirstOrDefault()?.Datatype switch
        {
            null or "FP32" => "float32",
            "FP16" => "float16",
            var other => other.ToLowerInvariant(),
        };
        return TypedResults.Ok(new TeiInfo(
            name, null, dtype, new Dictionary<string, TeiEmbeddingModel> { ["embedding"] = new(pooling) }, queue, maxTokens, maxTokens * batch, batch,
            tei.Value.MaxClientBatchSize, false, Environment.ProcessorCount, V2Api.ServerVersion, null, null, RerankScores));
    }

    /// <summary>Admits Tei:Model's text embedder before the body is read, then reads the body; the ticket is the caller's to dispose.</summary>
    private static async Task<(InferenceTicket Ticket, TextEmbedder Embedder, T Body)> AdmitAsync<T>(
        HttpRequest request, InferenceGateway gateway, TeiOptions tei, TaskLimitsOptions limits, CancellationToken cancellationToken)
        where T : class
    {
        var ticket = gateway.AdmitPipeline<TextEmbedder>(tei.Model!, PipelineKinds.TextEmbedder, out var embedder);
        try
        {
            return (ticket, embedder, await TaskJson.ReadAsync<T>(request, limits.MaxTextBodyBytes, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            ticket.Dispose();
            throw;
        }
    }

    /// <summary>Embeds <paramref name="query"/> and <paramref name="texts"/> as one request (one batch where they fit): the query's first.</summary>
    private static Task<IReadOnlyList<TextEmbedding>> EmbedWithQueryAsync(
        TextEmbedder embedder, InferenceGateway gateway, InferenceTicket ticket, (string Text, string Field) query, IReadOnlyList<string?> texts, string field, CompatEncodingRules rules,
        (TextInputType Query, TextInputType Texts) types, CancellationToken cancellationToken)
    {
        var inputs = texts.Select((text, i) => new CompatInput(text ?? throw Unreadable($"'{field}[{i}]' must be a string, not null."), null)).ToList();
        IReadOnlyList<EncodedText> encoded =
        [
            .. CompatEncoding.Encode(embedder, ticket, [new CompatInput(query.Text, null)], query.Field, rules, types.Query),
            .. CompatEncoding.Encode(embedder, ticket, inputs, field, rules, types.Texts),
        ];
        return embedder.EmbedAsync(gateway, ticket, encoded, embedder.Normalize, cancellationToken);
    }

    private static CompatEncodingRules Rules(TaskLimitsOptions limits, bool? truncate, string? direction) => new(
        limits.MaxTokens,
        limits.MaxTextCharacters,
        truncate ?? false,
        truncate ?? false,
        direction?.ToLowerInvariant() switch
        {
            null or "right" => TruncationDirection.Right,
            "left" => TruncationDirection.Left,
            _ => throw Unreadable($"'truncation_direction' must be 'right' or 'left', not '{direction}'."),
        },
        "Send \"truncate\": true to cut it.");

    private static void RequireBatch(int size, int max)
    {
        if (size > max)
        {
            throw new TeiException(StatusCodes.Status413PayloadTooLarge, TeiErrors.Validation, $"batch size {size} > maximum allowed batch size {max} ({BatchLimit}).");
        }
    }

    /// <summary>
    /// TEI's prompt_name picks one of the model's prompts: here "query" (pipeline.query_prefix) or "passage"
    /// (pipeline.passage_prefix). A name the model has no prefix for is refused, as TEI refuses an unknown prompt.
    /// </summary>
    private static TextInputType Prompt(string? promptName, TextEmbedder embedder, InferenceTicket ticket)
    {
        if (promptName is null)
        {
            return TextInputType.None;
        }

        var type = promptName switch
        {
            "query" => TextInputType.Query,
            "passage" => TextInputType.Passage,
            _ => TextInputType.None,
        };
        if (type != TextInputType.None && embedder.Prefix(type) is not null)
        {
            return type;
        }

        var prompts = new[] { TextInputType.Query, TextInputType.Passage }.Where(t => embedder.Prefix(t) is not null).Select(t => t == TextInputType.Query ? "query" : "passage").ToList();
        throw Unreadable(prompts.Count == 0
            ? $"'prompt_name' is '{promptName}', but model '{ticket.Model.Name}' has no prompts."
            : $"'prompt_name' is '{promptName}', but model '{ticket.Model.Name}' has only the prompts {string.Join(", ", prompts)}.");
    }

    private static TeiException Unreadable(string message) => new(StatusCodes.Status422UnprocessableEntity, TeiErrors.Validation, message);
}

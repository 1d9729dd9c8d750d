using System.Globalization;
using InferenceService.Hosting;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace InferenceService.Apis;

/// <summary>
/// Text tasks over sentence embeddings: embeddings, semantic search and classifier heads. Embeddings and similarity
/// use MiniLM, or the text embedder named in the path (/v1/text/embeddings/{model}).
/// </summary>
public static class TextApi
{
    public const string EmbeddingsOperation = "TextEmbeddings";
    public const string SimilarityOperation = "TextSimilarity";
    public const string ClassifyOperation = "TextClassify";

    public static IEndpointRouteBuilder MapTextApi(this IEndpointRouteBuilder app)
    {
        var text = app.MapGroup("/v1/text").WithTags("Text");
        text.MapPost("/embeddings", (HttpRequest request, InferenceGateway gateway, IOptions<TaskLimitsOptions> options, CancellationToken cancellationToken) =>
                Embeddings(TextEmbedder.ModelName, request, gateway, options, cancellationToken))
            .WithName(EmbeddingsOperation)
            .WithSummary("Sentence embeddings: 384 L2-normalised MiniLM values per text (mean-pooled over tokens).")
            .Accepts<TextEmbeddingsRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        text.MapPost("/embeddings/{model}", Embeddings).WithName(EmbeddingsOperation + "OfModel")
            .WithSummary("Sentence embeddings of a text embedder of the repository, pooled and normalised as its pipeline says.")
            .Accepts<TextEmbeddingsRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        text.MapPost("/similarity", (HttpRequest request, InferenceGateway gateway, IOptions<TaskLimitsOptions> options, CancellationToken cancellationToken) =>
                Similarity(TextEmbedder.ModelName, request, gateway, options, cancellationToken))
            .WithName(SimilarityOperation)
            .WithSummary("Semantic search: cosine of each candidate to the query, most similar first.")
            .Accepts<TextSimilarityRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        text.MapPost("/similarity/{model}", Similarity).WithName(SimilarityOperation + "OfModel")
            .WithSummary("Semantic search with a text embedder of the repository: the query gets its query prefix, candidates its passage prefix.")
            .Accepts<TextSimilarityRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        text.MapPost("/classify/{model}", Classify).WithName(ClassifyOperation)
            .WithSummary("Classify a text with a classifier head over MiniLM embeddings: label and probabilities.")
            .Accepts<TextClassifyRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static Task<Results<Ok<TextEmbeddingsResponse>, ProblemHttpResult, ValidationProblem>> Embeddings(
        string model, HttpRequest request, InferenceGateway gateway, IOptions<TaskLimitsOptions> options, CancellationToken cancellationToken) =>
        TaskEndpoint.RunAsync(request.HttpContext.Response, async () =>
        {
            var limits = options.Value;
            var (ticket, embedder, body) = await AdmitEmbedderAsync<TextEmbeddingsRequest>(model, request, gateway, limits, cancellationToken).ConfigureAwait(false);
            using var held = ticket;
            var type = InputType(body.InputType);
            var embeddings = await embedder.EmbedAsync(gateway, ticket, TextLimits.Require("texts", body.Texts, limits), limits.MaxTokens, type, cancellationToken).ConfigureAwait(false);
            return new TextEmbeddingsResponse(ticket.Model.Name, embedder.Width, embeddings.Select((e, i) => new TextEmbeddingItem(i, e.Vector, e.Tokens, e.Truncated)).ToList());
        });

    private static Task<Results<Ok<TextSimilarityResponse>, ProblemHttpResult, ValidationProblem>> Similarity(
        string model, HttpRequest request, InferenceGateway gateway, IOptions<TaskLimitsOptions> options, CancellationToken cancellationToken) =>
        TaskEndpoint.RunAsync(request.HttpContext.Response, async () =>
        {
            var limits = options.Value;
            var (ticket, embedder, body) = await AdmitEmbedderAsync<TextSimilarityRequest>(model, request, gateway, limits, cancellationToken).ConfigureAwait(false);
            using var held = ticket;
            var query = TextLimits.Require("query", body.Query, limits);
            var candidates = TextLimits.Require("candidates", body.Candidates, limits);

            // Query and candidates in one call: one request (one padding length) unless the model's batch limits split it.
            // The query is a query and the candidates are passages to an asymmetric retriever (E5, BGE).
            var maxTokens = embedder.TokenLimit(limits.MaxTokens);
            IReadOnlyList<EncodedText> encoded =
            [
                .. embedder.Encode(ticket, [query], maxTokens, TruncationDirection.Right, TextInputType.Query),
                .. embedder.Encode(ticket, candidates, maxTokens, TruncationDirection.Right, TextInputType.Passage),
            ];
            var embeddings = await embedder.EmbedAsync(gateway, ticket, encoded, embedder.Normalize, cancellationToken).ConfigureAwait(false);
            var results = candidates
                .Select((text, i) => new TextSimilarityMatch(i, text, VectorMath.Cosine(embeddings[0].Vector, embeddings[i + 1].Vector), embeddings[i + 1].Truncated))
                .OrderByDescending(m => m.Cosine)
                .ThenBy(m => m.Index)
                .ToList();
            return new TextSimilarityResponse(ticket.Model.Name, embeddings[0].Truncated, results);
        });

    private static Task<Results<Ok<TextClassifyResponse>, ProblemHttpResult, ValidationProblem>> Classify(
        string model, HttpRequest request, InferenceGateway gateway, IOptions<TaskLimitsOptions> options, CancellationToken cancellationToken) =>
        TaskEndpoint.RunAsync(request.HttpContext.Response, async () =>
        {
            var limits = options.Value;
            using var ticket = gateway.AdmitPipeline<TextClassifier>(model, PipelineKinds.TextClassifier, out var classifier);
            var body = await TaskJson.ReadAsync<TextClassifyRequest>(request, limits.MaxTextBodyBytes, cancellationToken).ConfigureAwait(false);
            var result = await classifier.ClassifyAsync(gateway, ticket, TextLimits.Require("text", body.Text, limits), limits.MaxTokens, cancellationToken).ConfigureAwait(false);
            return new TextClassifyResponse(
                ticket.Model.Name,
                ticket.Model.Version.ToString(CultureInfo.InvariantCulture),
                result.Top.Label,
                result.Top.Probability,
                result.Labels.Select(l => new LabelProbability(l.Label, l.Index, l.Probability)).ToList(),
                result.Tokens,
                result.Truncated);
        });

    /// <summary><c>input_type</c>: query or passage (the model's prefix for it), or absent (the text as sent).</summary>
    private static TextInputType InputType(string? value) => value switch
    {
        null => TextInputType.None,
        "query" => TextInputType.Query,
        "passage" => TextInputType.Passage,
        _ => throw new TaskFieldException("input_type", $"'input_type' must be \"query\" or \"passage\" (or absent), not '{value}'."),
    };

    /// <summary>Admits the sentence embedder before the body is read, then reads the body; the ticket is the caller's to dispose.</summary>
    private static async Task<(InferenceTicket Ticket, TextEmbedder Embedder, T Body)> AdmitEmbedderAsync<T>(
        string model, HttpRequest request, InferenceGateway gateway, TaskLimitsOptions limits, CancellationToken cancellationToken)
        where T : class
    {
        var ticket = gateway.AdmitPipeline<TextEmbedder>(model, PipelineKinds.TextEmbedder, out var embedder);
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
}

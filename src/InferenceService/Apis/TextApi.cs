using System.Globalization;
using InferenceService.Hosting;
using InferenceService.Runtime.Pipelines;
using InferenceService.Runtime.Inference;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace InferenceService.Apis;

/// <summary>Text tasks over MiniLM sentence embeddings: embeddings, semantic search and classifier heads.</summary>
public static class TextApi
{
    public const string EmbeddingsOperation = "TextEmbeddings";
    public const string SimilarityOperation = "TextSimilarity";
    public const string ClassifyOperation = "TextClassify";

    public static IEndpointRouteBuilder MapTextApi(this IEndpointRouteBuilder app)
    {
        var text = app.MapGroup("/v1/text").WithTags("Text");
        text.MapPost("/embeddings", Embeddings).WithName(EmbeddingsOperation)
            .WithSummary("Sentence embeddings: 384 L2-normalised MiniLM values per text (mean-pooled over tokens).")
            .Accepts<TextEmbeddingsRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        text.MapPost("/similarity", Similarity).WithName(SimilarityOperation)
            .WithSummary("Semantic search: cosine of each candidate to the query, most similar first.")
            .Accepts<TextSimilarityRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        text.MapPost("/classify/{model}", Classify).WithName(ClassifyOperation)
            .WithSummary("Classify a text with a classifier head over MiniLM embeddings: label and probabilities.")
            .Accepts<TextClassifyRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static async Task<Results<Ok<TextEmbeddingsResponse>, ProblemHttpResult, ValidationProblem>> Embeddings(
        HttpRequest request, InferenceGateway gateway, IOptions<TaskLimitsOptions> options, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        try
        {
            using var ticket = gateway.AdmitPipeline<TextEmbedder>(TextEmbedder.ModelName, PipelineKinds.TextEmbedder, out var embedder);
            var body = await TaskJson.ReadAsync<TextEmbeddingsRequest>(request, limits.MaxTextBodyBytes, cancellationToken).ConfigureAwait(false);
            if (TextLimits.Check("texts", body.Texts, limits) is { } invalid)
            {
                return TaskProblems.Invalid(invalid.Field, invalid.Message);
            }

            var embeddings = await embedder.EmbedAsync(gateway, ticket, body.Texts!, limits.MaxTokens, cancellationToken).ConfigureAwait(false);
            var data = embeddings.Select((e, i) => new TextEmbeddingItem(i, e.Vector, e.Tokens, e.Truncated)).ToList();
            return TypedResults.Ok(new TextEmbeddingsResponse(ticket.Model.Name, embedder.Width, data));
        }
        catch (Exception e) when (TaskProblems.TryCreate(e, out var problem))
        {
            return problem;
        }
    }

    private static async Task<Results<Ok<TextSimilarityResponse>, ProblemHttpResult, ValidationProblem>> Similarity(
        HttpRequest request, InferenceGateway gateway, IOptions<TaskLimitsOptions> options, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        try
        {
            using var ticket = gateway.AdmitPipeline<TextEmbedder>(TextEmbedder.ModelName, PipelineKinds.TextEmbedder, out var embedder);
            var body = await TaskJson.ReadAsync<TextSimilarityRequest>(request, limits.MaxTextBodyBytes, cancellationToken).ConfigureAwait(false);
            if ((TextLimits.Check("query", body.Query, limits) ?? TextLimits.Check("candidates", body.Candidates, limits)) is { } invalid)
            {
                return TaskProblems.Invalid(invalid.Field, invalid.Message);
            }

            // Query and candidates in one request: one batch for the batcher, one padding length.
            var embeddings = await embedder.EmbedAsync(gateway, ticket, [body.Query!, .. body.Candidates!], limits.MaxTokens, cancellationToken).ConfigureAwait(false);
            var query = embeddings[0];
            var results = body.Candidates!
                .Select((text, i) => new TextSimilarityMatch(i, text, VectorMath.Cosine(query.Vector, embeddings[i + 1].Vector), embeddings[i + 1].Truncated))
                .OrderByDescending(m => m.Cosine)
                .ThenBy(m => m.Index)
                .ToList();
            return TypedResults.Ok(new TextSimilarityResponse(ticket.Model.Name, query.Truncated, results));
        }
        catch (Exception e) when (TaskProblems.TryCreate(e, out var problem))
        {
            return problem;
        }
    }

    private static async Task<Results<Ok<TextClassifyResponse>, ProblemHttpResult, ValidationProblem>> Classify(
        string model, HttpRequest request, InferenceGateway gateway, IOptions<TaskLimitsOptions> options, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        try
        {
            using var ticket = gateway.AdmitPipeline<TextClassifier>(model, PipelineKinds.TextClassifier, out var classifier);
            var head = ticket.Model;
            var body = await TaskJson.ReadAsync<TextClassifyRequest>(request, limits.MaxTextBodyBytes, cancellationToken).ConfigureAwait(false);
            if (TextLimits.Check("text", body.Text, limits) is { } invalid)
            {
                return TaskProblems.Invalid(invalid.Field, invalid.Message);
            }

            var result = await classifier.ClassifyAsync(gateway, ticket, body.Text!, limits.MaxTokens, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new TextClassifyResponse(
                head.Name,
                head.Version.ToString(CultureInfo.InvariantCulture),
                result.Top.Label,
                result.Top.Probability,
                result.Labels.Select(l => new LabelProbability(l.Label, l.Index, l.Probability)).ToList(),
                result.Tokens,
                result.Truncated));
        }
        catch (Exception e) when (TaskProblems.TryCreate(e, out var problem))
        {
            return problem;
        }
    }
}

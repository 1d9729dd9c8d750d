using System.Globalization;
using InferenceService.Hosting;
using InferenceService.Runtime.Pipelines;
using InferenceService.Runtime.Inference;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace InferenceService.Apis;

/// <summary>Recommendations from the training module's factorisation recommenders: items for a user, items like an item.</summary>
public static class RecommendationsApi
{
    public const string UserOperation = "RecommendationsForUser";
    public const string SimilarOperation = "RecommendationsSimilarItems";

    public static IEndpointRouteBuilder MapRecommendationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/recommendations").WithTags("Recommendations");
        group.MapGet("/{model}/users/{userId}", ForUser).WithName(UserOperation)
            .WithSummary("Top-k items for a user, optionally excluding seen items; unknown users get 404, or the popular items with fallback=popular.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{model}/items/{itemId}/similar", Similar).WithName(SimilarOperation)
            .WithSummary("The k items most similar to an item (cosine of item embeddings), the item itself excluded.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <param name="exclude">Seen item ids to leave out: comma-separated and/or repeated (exclude=3,17&amp;exclude=42).</param>
    /// <param name="fallback">"popular": an unknown user gets the model's popular items (cold start) instead of 404.</param>
    private static async Task<Results<Ok<UserRecommendationsResponse>, ProblemHttpResult, ValidationProblem>> ForUser(
        string model, string userId, InferenceGateway gateway, IOptions<TaskLimitsOptions> options, CancellationToken cancellationToken,
        string? k = null, string[]? exclude = null, string? fallback = null)
    {
        var limits = options.Value;
        if (ParseId(userId) is not { } user)
        {
            return TaskProblems.Invalid("userId", $"userId must be an integer >= 0 (ids are 0-based), got '{userId}'.");
        }

        if (TaskQuery.ParseK(k, 10, limits, out var top) is { } badK)
        {
            return badK;
        }

        if (fallback is not (null or "none" or "popular"))
        {
            return TaskProblems.Invalid("fallback", $"fallback must be 'popular' or 'none', got '{fallback}'.");
        }

        try
        {
            using var ticket = gateway.AdmitPipeline<Recommender>(model, PipelineKinds.Recommender, out var recommender);
            var version = ticket.Model;
            var excluded = new HashSet<int>();
            foreach (var token in (exclude ?? []).SelectMany(e => e.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
            {
                if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var item) || item >= recommender.Config.NumItems)
                {
                    return TaskProblems.Invalid("exclude", $"exclude must list item ids 0 to {recommender.Config.NumItems - 1}, got '{token}'.");
                }

                if (excluded.Add(item) && excluded.Count > limits.MaxExcludedItems)
                {
                    return TaskProblems.Invalid("exclude", $"exclude lists more than {limits.MaxExcludedItems} items (Tasks:MaxExcludedItems).");
                }
            }

            var result = await recommender.ForUserAsync(gateway, ticket, user, top, excluded, fallback == "popular", cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new UserRecommendationsResponse(version.Name, user, result.ColdStart, Items(recommender, result.Items)));
        }
        catch (Exception e) when (TaskProblems.TryCreate(e, out var problem))
        {
            return problem;
        }
    }

    private static async Task<Results<Ok<SimilarItemsResponse>, ProblemHttpResult, ValidationProblem>> Similar(
        string model, string itemId, InferenceGateway gateway, IOptions<TaskLimitsOptions> options, CancellationToken cancellationToken, string? k = null)
    {
        var limits = options.Value;
        if (ParseId(itemId) is not { } item)
        {
            return TaskProblems.Invalid("itemId", $"itemId must be an integer >= 0 (ids are 0-based), got '{itemId}'.");
        }

        if (TaskQuery.ParseK(k, 10, limits, out var top) is { } badK)
        {
            return badK;
        }

        try
        {
            using var ticket = gateway.AdmitPipeline<Recommender>(model, PipelineKinds.Recommender, out var recommender);
            var version = ticket.Model;
            var similar = await recommender.SimilarItemsAsync(gateway, ticket, item, top, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new SimilarItemsResponse(version.Name, item, Items(recommender, similar)));
        }
        catch (Exception e) when (TaskProblems.TryCreate(e, out var problem))
        {
            return problem;
        }
    }

    private static long? ParseId(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static List<RecommendedItem> Items(Recommender recommender, IReadOnlyList<ScoredItem> items) =>
        items.Select(i => new RecommendedItem(i.Index, i.Score, recommender.NameOf(i.Index))).ToList();
}

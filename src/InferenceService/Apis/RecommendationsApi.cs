using System.Globalization;
using InferenceService.Hosting;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace InferenceService.Apis;

/// <summary>Recommendations from the training module's factorisation recommenders: items for a user, items like an item.</summary>
public static class RecommendationsApi
{
    public const string UserOperation = "RecommendationsForUser";
    public const string SimilarOperation = "RecommendationsSimilarItems";

    // Read only: shared by every request that excludes nothing.
    private static readonly HashSet<int> NoneExcluded = [];

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
    private static Task<Results<Ok<UserRecommendationsResponse>, ProblemHttpResult, ValidationProblem>> ForUser(
        string model, string userId, HttpResponse response, InferenceGateway gateway, IOptions<TaskLimitsOptions> options, CancellationToken cancellationToken,
        string? k = null, string[]? exclude = null, string? fallback = null) =>
        TaskEndpoint.RunAsync(response, async () =>
        {
            var limits = options.Value;
            var user = TaskQuery.Id("userId", userId);
            var top = TaskQuery.K(k, 10, limits);
            if (fallback is not (null or "none" or "popular"))
            {
                throw new TaskFieldException("fallback", $"fallback must be 'popular' or 'none', got '{fallback}'.");
            }

            using var ticket = gateway.AdmitPipeline<Recommender>(model, PipelineKinds.Recommender, out var recommender);
            var excluded = Excluded(exclude, recommender.Config.NumItems, limits.MaxExcludedItems);
            var result = await recommender.ForUserAsync(gateway, ticket, user, top, excluded, fallback == "popular", cancellationToken).ConfigureAwait(false);
            return new UserRecommendationsResponse(ticket.Model.Name, user, result.ColdStart, Items(recommender, result.Items));
        });

    private static Task<Results<Ok<SimilarItemsResponse>, ProblemHttpResult, ValidationProblem>> Similar(
        string model, string itemId, HttpResponse response, InferenceGateway gateway, IOptions<TaskLimitsOptions> options, CancellationToken cancellationToken, string? k = null) =>
        TaskEndpoint.RunAsync(response, async () =>
        {
            var item = TaskQuery.Id("itemId", itemId);
            var top = TaskQuery.K(k, 10, options.Value);
            using var ticket = gateway.AdmitPipeline<Recommender>(model, PipelineKinds.Recommender, out var recommender);
            var similar = await recommender.SimilarItemsAsync(gateway, ticket, item, top, cancellationToken).ConfigureAwait(false);
            return new SimilarItemsResponse(ticket.Model.Name, item, Items(recommender, similar));
        });

    private static HashSet<int> Excluded(string[]? exclude, int numItems, int maxExcluded)
    {
        if (exclude is null or [])
        {
            return NoneExcluded;
        }

        var excluded = new HashSet<int>();
        foreach (var token in exclude.SelectMany(e => e.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var item) || item >= numItems)
            {
                throw new TaskFieldException("exclude", $"exclude must list item ids 0 to {numItems - 1}, got '{token}'.");
            }

            if (excluded.Add(item) && excluded.Count > maxExcluded)
            {
                throw new TaskFieldException("exclude", $"exclude lists more than {maxExcluded} items (Tasks:MaxExcludedItems).");
            }
        }

        return excluded;
    }

    private static List<RecommendedItem> Items(Recommender recommender, IReadOnlyList<ScoredItem> items) =>
        items.Select(i => new RecommendedItem(i.Index, i.Score, recommender.NameOf(i.Index))).ToList();
}

namespace InferenceService.Apis;

// Wire shapes of /v1/recommendations (snake_case JSON).

/// <summary>An item id (0-based), its score (cosine for similar items; 0 for cold-start popular items) and its name when the model has names.</summary>
public sealed record RecommendedItem(int ItemId, float Score, string? Name);

/// <summary>Top-k items for a user; <see cref="ColdStart"/> when the user is unknown and popular items were asked for instead.</summary>
public sealed record UserRecommendationsResponse(string Model, long UserId, bool ColdStart, IReadOnlyList<RecommendedItem> Items);

/// <summary>The k items most similar to an item (the item itself excluded).</summary>
public sealed record SimilarItemsResponse(string Model, long ItemId, IReadOnlyList<RecommendedItem> Items);

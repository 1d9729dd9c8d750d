namespace InferenceService.Runtime.Pipelines;

/// <summary>The <c>pipeline</c> section of a recommender: id ranges (0-based), cold-start items, optional item names.</summary>
public sealed record RecommenderConfig
{
    public string Kind { get; init; } = string.Empty;

    public int NumUsers { get; init; }

    public int NumItems { get; init; }

    /// <summary>Most popular items first: what a user the model has never seen gets.</summary>
    public IReadOnlyList<int> PopularItems { get; init; } = [];

    /// <summary>A file in the version folder with one item name per line (line n = item n), or null.</summary>
    public string? ItemNames { get; init; }
}

namespace InferenceService.Runtime.Pipelines;

/// <summary>Recommended items, best first; <see cref="ColdStart"/> when they are the popular items rather than the model's scores.</summary>
public sealed record Recommendation(IReadOnlyList<ScoredItem> Items, bool ColdStart);

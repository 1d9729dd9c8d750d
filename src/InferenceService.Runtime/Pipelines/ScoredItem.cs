namespace InferenceService.Runtime.Pipelines;

/// <summary>An index into a model's output (a class or an item) and its score.</summary>
public readonly record struct ScoredItem(int Index, float Score);

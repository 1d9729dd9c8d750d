namespace InferenceService.Runtime.Pipelines;

/// <summary>A text classifier's answer: the most probable label, every label's probability, and whether the text was cut.</summary>
public sealed record TextClassification(LabelScore Top, IReadOnlyList<LabelScore> Labels, int Tokens, bool Truncated);

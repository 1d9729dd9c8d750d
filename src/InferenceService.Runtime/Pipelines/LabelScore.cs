namespace InferenceService.Runtime.Pipelines;

/// <summary>A class of a classifier: its label, its index in the model's logits and its softmax probability.</summary>
public sealed record LabelScore(string Label, int Index, float Probability);

namespace InferenceService.Runtime.Pipelines;

/// <summary>Which end of a text too long for the model is cut: <see cref="Right"/> keeps its first tokens (the default).</summary>
public enum TruncationDirection
{
    Right,
    Left,
}

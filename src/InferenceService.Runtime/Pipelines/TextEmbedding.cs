namespace InferenceService.Runtime.Pipelines;

/// <summary>A sentence embedding (unit length) and the tokens it was computed from.</summary>
public sealed record TextEmbedding(float[] Vector, int Tokens, bool Truncated);

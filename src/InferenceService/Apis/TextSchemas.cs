namespace InferenceService.Apis;

// Wire shapes of /v1/text (snake_case JSON).

/// <summary><c>input_type</c>: "query" or "passage" adds the model's prefix for it (E5, BGE); absent embeds the texts as sent.</summary>
public sealed record TextEmbeddingsRequest(IReadOnlyList<string>? Texts, string? InputType = null);

/// <summary>One text's embedding: unit length (unless the model's pipeline.normalize is false), from <see cref="Tokens"/> tokens ([CLS] and [SEP] included).</summary>
public sealed record TextEmbeddingItem(int Index, float[] Embedding, int Tokens, bool Truncated);

public sealed record TextEmbeddingsResponse(string Model, int Dimensions, IReadOnlyList<TextEmbeddingItem> Data);

public sealed record TextSimilarityRequest(string? Query, IReadOnlyList<string>? Candidates);

/// <summary>A candidate, its position in the request, and its cosine to the query.</summary>
public sealed record TextSimilarityMatch(int Index, string Text, float Cosine, bool Truncated);

/// <summary>Candidates sorted by cosine to the query, most similar first.</summary>
public sealed record TextSimilarityResponse(string Model, bool QueryTruncated, IReadOnlyList<TextSimilarityMatch> Results);

public sealed record TextClassifyRequest(string? Text);

/// <summary>The most probable label and every label's probability (sorted), and whether the text was truncated.</summary>
public sealed record TextClassifyResponse(string Model, string Version, string Label, float Probability, IReadOnlyList<LabelProbability> Probabilities, int Tokens, bool Truncated);

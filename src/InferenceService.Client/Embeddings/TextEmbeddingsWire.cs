namespace InferenceService.Client;

// Wire shapes of POST /v1/text/embeddings (snake_case JSON).

internal sealed record TextEmbeddingsRequest(IReadOnlyList<string> Texts);

internal sealed record TextEmbeddingItem(int Index, float[] Embedding, int Tokens, bool Truncated);

internal sealed record TextEmbeddingsResponse(string Model, int Dimensions, IReadOnlyList<TextEmbeddingItem> Data);

namespace InferenceService.Apis;

// Wire shapes of /v1/vision (snake_case JSON). Requests are images: multipart/form-data file parts or a raw image body.

/// <summary>One L2-normalised ResNet18 embedding per uploaded image, in upload order.</summary>
public sealed record VisionEmbeddingsResponse(string Model, int Dimensions, IReadOnlyList<float[]> Embeddings);

/// <summary>Cosine similarity of the two uploaded images' embeddings (1 = same image).</summary>
public sealed record VisionSimilarityResponse(string Model, float Cosine);

/// <summary>A label, its index in the model's output and its probability.</summary>
public sealed record LabelProbability(string Label, int Index, float Probability);

/// <summary>The top-k labels, most probable first.</summary>
public sealed record VisionClassifyResponse(string Model, string Version, IReadOnlyList<LabelProbability> Predictions);

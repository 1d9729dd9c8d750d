namespace InferenceService.Runtime.Pipelines;

/// <summary>The values of <c>pipeline.kind</c> in a model's config.json.</summary>
public static class PipelineKinds
{
    public const string ImageClassifier = "image-classifier";
    public const string ImageEmbedder = "image-embedder";
    public const string TextClassifier = "text-classifier";
    public const string TextEmbedder = "text-embedder";
    public const string Recommender = "recommender";
}

namespace InferenceService.Runtime.Pipelines;

/// <summary>The values of <c>pipeline.kind</c> in a model's config.json (written by the training module).</summary>
public static class PipelineKinds
{
    public const string ImageClassifier = "image-classifier";
    public const string TextClassifier = "text-classifier";
    public const string Recommender = "recommender";
}

using System.Globalization;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// The embedding model a text-classifier head calls. A head pinned with <c>embedding_model_version</c> only ever gets
/// embeddings from that version: a head trained on one backbone's vectors gives confident nonsense on another's, so a
/// missing pinned version makes the head unavailable with the reason rather than fall back to the newest.
/// </summary>
internal static class HeadBackbone
{
    /// <summary>
    /// The config to check the head against when it loads: the pinned version's, else the model's. Throws (the head
    /// becomes UNAVAILABLE with the reason) when the pinned version is not among those the backbone's policy serves or
    /// it failed to load. A pinned version still loading passes: requests check it again.
    /// </summary>
    public static ModelConfig? ConfigAtLoad(ModelVersion head, TextClassifierConfig config, ModelEntry? backbone)
    {
        if (config.EmbeddingModelVersion is not { } pinned || backbone is null)
        {
            return backbone?.Config;
        }

        if (pinned < 1)
        {
            throw TaskPipelines.Misconfigured(head, $"pipeline.embedding_model_version must be a version number >= 1, got {pinned}");
        }

        var version = backbone.Versions.FirstOrDefault(v => v.Version == pinned);
        if (version is null)
        {
            var served = backbone.Versions.Count == 0 ? "none" : string.Join(", ", backbone.Versions.Select(v => v.Version));
            throw TaskPipelines.Misconfigured(head, $"pipeline.embedding_model_version {pinned}: '{config.EmbeddingModel}' does not serve version {pinned} (served: {served}); the head was trained on it and is not fed another, so keep it loaded with the version_policy of '{config.EmbeddingModel}' (e.g. {{\"specific\": [{pinned}, ...]}} or {{\"all\": {{}}}})");
        }

        if (version.State == ModelState.Unavailable)
        {
            throw TaskPipelines.Misconfigured(head, $"pipeline.embedding_model_version {pinned}: '{config.EmbeddingModel}' version {pinned} is unavailable ({version.Reason})");
        }

        return version.Config;
    }

    /// <summary>
    /// A ticket on the head's embedding model: the pinned version, or the newest ready one. A pinned version that is
    /// not served now (the backbone was reloaded with a policy that drops it) is a 503 naming it, never another version.
    /// </summary>
    public static InferenceTicket Admit(InferenceGateway gateway, ModelVersion head, TextClassifierConfig config, out TextEmbedder embedder)
    {
        if (config.EmbeddingModelVersion is not { } pinned)
        {
            return gateway.AdmitPipeline(config.EmbeddingModel, PipelineKinds.TextEmbedder, out embedder);
        }

        try
        {
            return gateway.AdmitPipeline(config.EmbeddingModel, PipelineKinds.TextEmbedder, out embedder, pinned.ToString(CultureInfo.InvariantCulture));
        }
        catch (InferenceException e) when (e.Kind is InferenceErrorKind.NotFound or InferenceErrorKind.Unavailable)
        {
            throw new InferenceException(
                InferenceErrorKind.Unavailable,
                $"Model '{head.Name}' version {head.Version} was trained on '{config.EmbeddingModel}' version {pinned}, which is not served now: {e.Message}",
                e);
        }
    }
}

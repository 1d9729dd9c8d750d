namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// What a text is to an asymmetric retriever (E5, BGE): a search query or a passage searched. It picks the model's
/// <c>pipeline.query_prefix</c> or <c>passage_prefix</c>; <see cref="None"/> embeds the text as sent.
/// </summary>
public enum TextInputType
{
    None,
    Query,
    Passage,
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceService.Apis;

// Wire shapes of the TEI-compatible routes, as Hugging Face text-embeddings-inference's router defines them (snake_case JSON).

/// <summary>
/// <c>inputs</c>: a string, a list of strings, token ids or a list of those. <c>normalize</c> defaults to true;
/// <c>truncate</c> to false (an input over the limit is refused); <c>truncation_direction</c> is right or left.
/// </summary>
public sealed record TeiEmbedRequest(JsonElement? Inputs, bool? Truncate, string? TruncationDirection, string? PromptName, bool? Normalize);

public sealed record TeiSimilarityRequest(TeiSimilarityInputs? Inputs, TeiSimilarityParameters? Parameters);

public sealed record TeiSimilarityInputs(string? SourceSentence, IReadOnlyList<string?>? Sentences);

public sealed record TeiSimilarityParameters(bool? Truncate, string? TruncationDirection, string? PromptName);

/// <summary>A bi-encoder reranks by the cosine of sentence embeddings: <c>raw_scores</c> is accepted and changes nothing.</summary>
public sealed record TeiRerankRequest(string? Query, IReadOnlyList<string?>? Texts, bool? Truncate, string? TruncationDirection, bool? RawScores, bool? ReturnText);

/// <summary>A text's position in the request, its score, and the text itself when <c>return_text</c> asked for it.</summary>
public sealed record TeiRank(int Index, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text, float Score);

/// <summary><c>add_special_tokens</c> defaults to true ([CLS] first, [SEP] last, both without offsets).</summary>
public sealed record TeiTokenizeRequest(JsonElement? Inputs, bool? AddSpecialTokens, string? PromptName);

/// <summary>TEI's model type object: <c>{"embedding": {"pooling": "mean"}}</c>.</summary>
public sealed record TeiEmbeddingModel(string Pooling);

/// <summary>
/// TEI's /info. <see cref="MaxInputLength"/> is Tasks:MaxTokens; <see cref="MaxBatchRequests"/> the model's
/// max_batch_size, <see cref="MaxBatchTokens"/> the two multiplied; <see cref="MaxConcurrentRequests"/> its queue size.
/// <see cref="RerankScores"/> (not TEI's) says how /rerank scores.
/// </summary>
public sealed record TeiInfo(
    string ModelId,
    string? ModelSha,
    string ModelDtype,
    IReadOnlyDictionary<string, TeiEmbeddingModel> ModelType,
    int MaxConcurrentRequests,
    int MaxInputLength,
    int MaxBatchTokens,
    int? MaxBatchRequests,
    int MaxClientBatchSize,
    bool AutoTruncate,
    int TokenizationWorkers,
    string Version,
    string? Sha,
    string? DockerLabel,
    string RerankScores);

/// <summary>TEI's error body: <c>{"error": "...", "error_type": "Validation"}</c> (error_type as TEI's server writes it).</summary>
public sealed record TeiErrorResponse(string Error, string ErrorType);

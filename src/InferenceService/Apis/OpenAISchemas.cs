using System.Text.Json;

namespace InferenceService.Apis;

// Wire shapes of the OpenAI-compatible routes, as OpenAI's API reference gives them (snake_case JSON).

/// <summary>
/// <c>input</c>: a string, a list of strings, a list of token ids or a list of such lists. <c>encoding_format</c>:
/// float (default) or base64. <c>dimensions</c>: keep the first n values and renormalise. <c>user</c> is ignored.
/// <c>input_type</c> (not OpenAI's; NVIDIA NIM's extension): "query" or "passage" adds the model's prefix for it.
/// </summary>
public sealed record OpenAIEmbeddingRequest(JsonElement? Input, string? Model, string? EncodingFormat, int? Dimensions, string? User, string? InputType = null);

/// <summary><see cref="Embedding"/> is a list of floats, or with base64 the little-endian float32 bytes in base64.</summary>
public sealed record OpenAIEmbedding(string Object, int Index, object Embedding);

public sealed record OpenAIUsage(int PromptTokens, int TotalTokens);

public sealed record OpenAIEmbeddingResponse(string Object, IReadOnlyList<OpenAIEmbedding> Data, string Model, OpenAIUsage Usage);

/// <summary>OpenAI's model object; <see cref="Created"/> is when the served version's folder was last written (Unix seconds).</summary>
public sealed record OpenAIModel(string Id, string Object, long Created, string OwnedBy);

public sealed record OpenAIModelList(string Object, IReadOnlyList<OpenAIModel> Data);

/// <summary>OpenAI's error body: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
public sealed record OpenAIErrorResponse(OpenAIError Error);

public sealed record OpenAIError(string Message, string Type, string? Param, string? Code);

using InferenceService.Runtime.Pipelines;

namespace InferenceService.Apis;

/// <summary>
/// How inputs of the OpenAI and TEI routes are limited: texts and id lists over <see cref="MaxTokens"/> are cut at
/// <see cref="Direction"/> when their flag says so and refused otherwise, with <see cref="OverLimitHint"/> telling the client what to do.
/// </summary>
internal sealed record CompatEncodingRules(int MaxTokens, int MaxCharacters, bool TruncateTexts, bool TruncateIds, TruncationDirection Direction, string OverLimitHint);

using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;

namespace InferenceService.Apis;

/// <summary>
/// Turns the inputs of the OpenAI and TEI routes into token ids for the text embedder: texts are tokenised with
/// [CLS] and [SEP] (the model's framing tokens), after the model's prefix for <c>type</c>; ids are taken as given (no
/// framing or prefix added) once each is known to be in the vocabulary. The token limit is the rules' (Tasks:MaxTokens)
/// or the model's pipeline.max_tokens, whichever is lower.
/// </summary>
internal static class CompatEncoding
{
    public static IReadOnlyList<EncodedText> Encode(TextEmbedder embedder, InferenceTicket ticket, IReadOnlyList<CompatInput> inputs, string field, CompatEncodingRules rules) =>
        Encode(embedder, ticket, inputs, field, rules, TextInputType.None);

    public static IReadOnlyList<EncodedText> Encode(TextEmbedder embedder, InferenceTicket ticket, IReadOnlyList<CompatInput> inputs, string field, CompatEncodingRules rules, TextInputType type)
    {
        var maxTokens = embedder.TokenLimit(rules.MaxTokens);
        var limitName = maxTokens < rules.MaxTokens ? $"pipeline.max_tokens of model '{ticket.Model.Name}'" : "Tasks:MaxTokens";
        var texts = new List<string>();
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Text is { } text)
            {
                if (text.Length > rules.MaxCharacters)
                {
                    throw new CompatInputException(CompatInputError.TooLong, Name(field, i, inputs.Count), $"'{Name(field, i, inputs.Count)}' has {text.Length} characters; the limit is {rules.MaxCharacters} (Tasks:MaxTextCharacters).");
                }

                texts.Add(text);
            }
        }

        var tokenised = embedder.Encode(ticket, texts, maxTokens, rules.Direction, type);
        var result = new EncodedText[inputs.Count];
        var next = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            var encoded = inputs[i].Ids is { } ids
                ? EncodedText.Limit(CheckVocabulary(ids, embedder.Tokenizer.VocabularySize, Name(field, i, inputs.Count)), maxTokens, rules.Direction, framed: false)
                : tokenised[next++];
            if (encoded.Truncated && !(inputs[i].Ids is null ? rules.TruncateTexts : rules.TruncateIds))
            {
                throw new CompatInputException(CompatInputError.TooLong, Name(field, i, inputs.Count),
                    $"'{Name(field, i, inputs.Count)}' has {encoded.FullLength} tokens; the limit is {maxTokens} ({limitName}). {rules.OverLimitHint}");
            }

            result[i] = encoded;
        }

        return result;
    }

    private static int[] CheckVocabulary(int[] ids, int vocabularySize, string field)
    {
        for (var t = 0; t < ids.Length; t++)
        {
            if (ids[t] < 0 || ids[t] >= vocabularySize)
            {
                throw new CompatInputException(CompatInputError.Invalid, $"{field}[{t}]", $"'{field}[{t}]' is token id {ids[t]}; the model's vocabulary has ids 0 to {vocabularySize - 1}.");
            }
        }

        return ids;
    }

    /// <summary>The field of input <paramref name="i"/>: the field itself when the request sent a single input.</summary>
    private static string Name(string field, int i, int count) => count == 1 ? field : $"{field}[{i}]";
}

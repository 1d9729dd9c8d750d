using System.Text.Json;

namespace InferenceService.Apis;

/// <summary>
/// Reads the <c>input</c> (OpenAI) or <c>inputs</c> (TEI) field: a string, a list of strings, a list of token ids,
/// or a list of such lists (strings and id lists may be mixed, as TEI allows).
/// </summary>
internal static class CompatInputs
{
    public static IReadOnlyList<CompatInput> Parse(JsonElement? element, string field, int maxInputs, string limitSetting)
    {
        var inputs = element switch
        {
            null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => throw Invalid(field, $"'{field}' is required: a string, a list of strings, a list of token ids or a list of such lists."),
            { ValueKind: JsonValueKind.String } text => [Text(text, field)],
            { ValueKind: JsonValueKind.Array } list when list.GetArrayLength() == 0 => throw new CompatInputException(CompatInputError.Empty, field, $"'{field}' cannot be empty."),
            { ValueKind: JsonValueKind.Array } list when list[0].ValueKind == JsonValueKind.Number => [Ids(list, field)],
            { ValueKind: JsonValueKind.Array } list => list.EnumerateArray().Select((item, i) => Item(item, $"{field}[{i}]")).ToList(),
            _ => throw Invalid(field, $"'{field}' must be a string, a list of strings, a list of token ids or a list of such lists, not a JSON {element.Value.ValueKind.ToString().ToLowerInvariant()}."),
        };

        return inputs.Count <= maxInputs
            ? inputs
            : throw new CompatInputException(CompatInputError.TooLong, field, $"'{field}' has {inputs.Count} inputs; the limit is {maxInputs} per request ({limitSetting}).");
    }

    private static CompatInput Item(JsonElement item, string field) => item.ValueKind switch
    {
        JsonValueKind.String => Text(item, field),
        JsonValueKind.Array => Ids(item, field),
        _ => throw Invalid(field, $"'{field}' must be a string or a list of token ids, not a JSON {item.ValueKind.ToString().ToLowerInvariant()}."),
    };

    private static CompatInput Text(JsonElement text, string field)
    {
        var value = text.GetString()!;
        return value.Length > 0 ? new CompatInput(value, null) : throw new CompatInputException(CompatInputError.Empty, field, $"'{field}' cannot be an empty string.");
    }

    private static CompatInput Ids(JsonElement list, string field)
    {
        if (list.GetArrayLength() == 0)
        {
            throw new CompatInputException(CompatInputError.Empty, field, $"'{field}' cannot be an empty list of token ids.");
        }

        var ids = new int[list.GetArrayLength()];
        var i = 0;
        foreach (var id in list.EnumerateArray())
        {
            if (id.ValueKind != JsonValueKind.Number || !id.TryGetInt32(out ids[i]))
            {
                throw Invalid($"{field}[{i}]", $"'{field}[{i}]' must be a token id (an integer), got {id.GetRawText()}.");
            }

            i++;
        }

        return new CompatInput(null, ids);
    }

    private static CompatInputException Invalid(string field, string message) => new(CompatInputError.Invalid, field, message);
}

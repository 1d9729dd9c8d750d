using InferenceService.Hosting;

namespace InferenceService.Apis;

/// <summary>Checks texts against Tasks limits before any tokenising; returns the field and message of the first breach.</summary>
internal static class TextLimits
{
    public static (string Field, string Message)? Check(string field, IReadOnlyList<string?>? texts, TaskLimitsOptions limits)
    {
        if (texts is null || texts.Count == 0)
        {
            return (field, $"'{field}' must be a non-empty list of strings.");
        }

        if (texts.Count > limits.MaxTextsPerRequest)
        {
            return (field, $"'{field}' has {texts.Count} texts; the limit is {limits.MaxTextsPerRequest} per request (Tasks:MaxTextsPerRequest).");
        }

        for (var i = 0; i < texts.Count; i++)
        {
            if (Check($"{field}[{i}]", texts[i], limits) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    public static (string Field, string Message)? Check(string field, string? text, TaskLimitsOptions limits)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (field, $"'{field}' must be a non-empty string.");
        }

        return text.Length > limits.MaxTextCharacters
            ? (field, $"'{field}' has {text.Length} characters; the limit is {limits.MaxTextCharacters} (Tasks:MaxTextCharacters).")
            : null;
    }
}

using InferenceService.Hosting;

namespace InferenceService.Apis;

/// <summary>Checks texts against Tasks limits before any tokenising; the first breach is a 400 naming its field.</summary>
internal static class TextLimits
{
    public static IReadOnlyList<string> Require(string field, IReadOnlyList<string?>? texts, TaskLimitsOptions limits) =>
        Check(field, texts, limits) is { } breach ? throw new TaskFieldException(breach.Field, breach.Message) : texts!.Select(t => t!).ToList();

    public static string Require(string field, string? text, TaskLimitsOptions limits) =>
        Check(field, text, limits) is { } breach ? throw new TaskFieldException(breach.Field, breach.Message) : text!;

    private static (string Field, string Message)? Check(string field, IReadOnlyList<string?>? texts, TaskLimitsOptions limits)
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

    private static (string Field, string Message)? Check(string field, string? text, TaskLimitsOptions limits)
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

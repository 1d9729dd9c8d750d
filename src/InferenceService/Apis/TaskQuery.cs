using System.Globalization;
using InferenceService.Hosting;

namespace InferenceService.Apis;

/// <summary>
/// Values parsed by the handlers themselves: a malformed value (k=abc) then gets a 400 that names the parameter and
/// its limit, instead of the framework's bare binding failure.
/// </summary>
internal static class TaskQuery
{
    /// <summary>k from 1 to Tasks:MaxK; <paramref name="fallback"/> when absent.</summary>
    public static int K(string? text, int fallback, TaskLimitsOptions limits)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var k))
        {
            throw new TaskFieldException("k", $"k must be an integer from 1 to {limits.MaxK} (Tasks:MaxK), got '{text}'.");
        }

        return k is >= 1 && k <= limits.MaxK ? k : throw new TaskFieldException("k", $"k must be 1 to {limits.MaxK} (Tasks:MaxK), got {k}.");
    }

    /// <summary>A 0-based user or item id from the path.</summary>
    public static long Id(string field, string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new TaskFieldException(field, $"{field} must be an integer >= 0 (ids are 0-based), got '{text}'.");
}

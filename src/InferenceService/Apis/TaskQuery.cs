using System.Globalization;
using InferenceService.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InferenceService.Apis;

/// <summary>
/// Query values parsed by the handlers themselves: a malformed value (k=abc) then gets a 400 that names the parameter
/// and its limit, instead of the framework's bare binding failure.
/// </summary>
internal static class TaskQuery
{
    /// <summary>k from 1 to Tasks:MaxK; <paramref name="fallback"/> when absent. Returns the 400 to send, or null.</summary>
    public static ValidationProblem? ParseK(string? text, int fallback, TaskLimitsOptions limits, out int k)
    {
        k = fallback;
        if (text is not null && !int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out k))
        {
            return TaskProblems.Invalid("k", $"k must be an integer from 1 to {limits.MaxK} (Tasks:MaxK), got '{text}'.");
        }

        return k < 1 || k > limits.MaxK ? TaskProblems.Invalid("k", $"k must be 1 to {limits.MaxK} (Tasks:MaxK), got {k}.") : null;
    }
}

using System.Globalization;

namespace InferenceService.Runtime.Repository;

/// <summary>A model version as clients write it (REST path segment, gRPC field): absent, or an integer ≥ 1.</summary>
public static class VersionNumber
{
    /// <summary>Null or empty means "no version given" (<paramref name="version"/> null); anything else must be an integer ≥ 1.</summary>
    public static bool TryParse(string? text, out long? version, out string? error)
    {
        version = null;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1)
        {
            version = value;
            return true;
        }

        error = $"Version '{text}' is not a version number (an integer >= 1).";
        return false;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceService.Runtime.Repository;

/// <summary>JSON settings for repository files: snake_case, comments allowed, unknown fields rejected (typos are errors).</summary>
internal static class RepositoryJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceService.Bench;

internal static class Json
{
    /// <summary>Snake case, indented; NaN allowed (a load point with no 2xx answer has no percentiles).</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

using System.Text.Json;

namespace InferenceService.Bench;

internal static class Json
{
    public static JsonSerializerOptions Options { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };
}

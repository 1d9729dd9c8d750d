using System.Globalization;

namespace InferenceService.Bench;

/// <summary>A measured ratio (or figure) against its target; Min is the lower bound, Max the upper one.</summary>
internal sealed record Ratio(string Name, double? Value, string Unit, double? Min = null, double? Max = null, string? Note = null)
{
    public string Display => Value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:F2}{Unit}") : Note ?? "not measured";

    public string? Target => Min is { } min ? string.Create(CultureInfo.InvariantCulture, $"≥ {min:F2}{Unit}")
        : Max is { } max ? (max < 10 ? string.Create(CultureInfo.InvariantCulture, $"≤ {max:F2}{Unit}") : string.Create(CultureInfo.InvariantCulture, $"≤ {max:F0}{Unit}")) : null;

    public string Verdict => Value is not { } v || (Min is null && Max is null) ? string.Empty
        : (Min is null || v >= Min) && (Max is null || v <= Max) ? "met" : "**missed**";
}

using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Runtime.Protocol;

/// <summary>
/// Writes float values as elements of the JSON array the writer is in: finite values as their shortest round-trip
/// number (<see cref="ShortestFloat"/>), NaN and infinities as the strings "NaN", "Infinity", "-Infinity" (JSON has no
/// such numbers; these are what the writer wrote value by value before).
/// </summary>
/// <remarks>
/// Values are formatted into a stack buffer and handed over a run at a time with <see cref="Utf8JsonWriter.WriteRawValue(ReadOnlySpan{byte}, bool)"/>:
/// one bounds check and copy per run instead of the writer's per-value state checks. An unvalidated raw value counts as
/// one complete token, so the writer puts the separator between runs as it does between values (an indented writer
/// would print a run on one line; the response writers are not indented). A run stays near 2 KiB: the writer asks its
/// output for max(4 KiB, run) and a response pipe's segments are 4 KiB, so a run never makes the pipe allocate one.
/// </remarks>
public static class FloatJsonElements
{
    private const int RunValues = 128;
    private const int RunBytes = (RunValues * (ShortestFloat.MaxLength + 1)) + ShortestFloat.ScratchLength;

    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> run = stackalloc byte[RunBytes];
        while (!values.IsEmpty)
        {
            var take = Math.Min(values.Length, RunValues);
            var length = 0;
            foreach (var value in values[..take])
            {
                length += float.IsFinite(value) ? ShortestFloat.Write(value, run[length..]) : WriteNonFinite(value, run[length..]);
                run[length++] = (byte)',';
            }

            writer.WriteRawValue(run[..(length - 1)], skipInputValidation: true);
            values = values[take..];
        }
    }

    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<Float16> values) => WriteWidened(writer, values, static v => v.ToFloat());

    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<BFloat16> values) => WriteWidened(writer, values, static v => v.ToFloat());

    /// <summary>Half-width values go through the FP32 path a run at a time: widening is exact, so the text is the same.</summary>
    private static void WriteWidened<T>(Utf8JsonWriter writer, ReadOnlySpan<T> values, Func<T, float> widen)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<float> widened = stackalloc float[RunValues];
        while (!values.IsEmpty)
        {
            var take = Math.Min(values.Length, RunValues);
            for (var i = 0; i < take; i++)
            {
                widened[i] = widen(values[i]);
            }

            Write(writer, widened[..take]);
            values = values[take..];
        }
    }

    private static int WriteNonFinite(float value, Span<byte> destination)
    {
        var text = float.IsNaN(value) ? "\"NaN\""u8 : value > 0 ? "\"Infinity\""u8 : "\"-Infinity\""u8;
        text.CopyTo(destination);
        return text.Length;
    }
}

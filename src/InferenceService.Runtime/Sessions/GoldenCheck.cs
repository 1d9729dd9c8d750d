using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using InferenceService.Runtime.Protocol;
using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Sessions;

/// <summary>
/// Optional <c>golden.json</c> in a version folder: V2 <c>inputs</c>, expected <c>outputs</c> (name + data) and a
/// <c>tolerance</c>. A new version whose answers differ never goes live.
/// </summary>
internal static class GoldenCheck
{
    public const string FileName = "golden.json";

    public static async Task RunAsync(string versionDir, ModelConfig config, SessionPool pool, CancellationToken cancellationToken)
    {
        var path = Path.Combine(versionDir, FileName);
        if (!File.Exists(path))
        {
            return;
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var request = V2JsonRequestReader.Read(bytes);
        using var document = JsonDocument.Parse(bytes);
        var tolerance = document.RootElement.TryGetProperty("tolerance", out var t) ? t.GetDouble() : 1e-4;
        var expected = document.RootElement.GetProperty("outputs").EnumerateArray()
            .Select(o => (Name: o.GetProperty("name").GetString()!, Data: o.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray()))
            .ToList();
        var ordered = config.Inputs.Select(i => request.Inputs.Single(x => x.Name == i.Name)).ToList();
        var outputs = await pool.ExecuteAsync(ordered, expected.Select(e => e.Name).ToList(), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < expected.Count; i++)
        {
            var actual = outputs[i].Data;
            if (actual.Length != expected[i].Data.Length)
            {
                throw new InvalidDataException($"{path}: output '{expected[i].Name}' has {actual.Length} elements, golden has {expected[i].Data.Length}.");
            }

            for (var j = 0; j < actual.Length; j++)
            {
                var value = AsDouble(actual.GetValue(j));
                if (Math.Abs(value - expected[i].Data[j]) > tolerance)
                {
                    throw new InvalidDataException($"{path}: output '{expected[i].Name}'[{j}] is {value}, golden {expected[i].Data[j]} (tolerance {tolerance}).");
                }
            }
        }
    }

    /// <summary>ONNX Runtime's half types are not <see cref="IConvertible"/>: they convert through float.</summary>
    private static double AsDouble(object? value) => value switch
    {
        Float16 half => (float)half,
        BFloat16 brain => (float)brain,
        _ => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}

using System.Globalization;

namespace InferenceService.Bench;

/// <summary>`--name value` pairs; a flag without a value reads as "true".</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static BenchArgs Parse(string[] args)
    {
        var line = new BenchArgs();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }

            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            line._values[args[i][2..]] = hasValue ? args[++i] : "true";
        }

        return line;
    }

    public string Get(string name) => _values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");

    public string? Find(string name) => _values.GetValueOrDefault(name);

    public double Number(string name, double fallback) =>
        _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}

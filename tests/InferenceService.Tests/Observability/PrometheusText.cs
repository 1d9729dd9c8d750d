using System.Globalization;

namespace InferenceService.Tests.Observability;

/// <summary>Reads values out of a Prometheus text exposition (what GET /metrics returns).</summary>
internal static class PrometheusText
{
    /// <summary>The sum of the samples of <paramref name="metric"/> whose labels include every pair given; null when none matches.</summary>
    public static double? Value(string exposition, string metric, params (string Label, string Value)[] labels)
    {
        double? sum = null;
        foreach (var line in exposition.Split('\n'))
        {
            if (!line.StartsWith(metric + "{", StringComparison.Ordinal) && !line.StartsWith(metric + " ", StringComparison.Ordinal))
            {
                continue;
            }

            var close = line.LastIndexOf('}');
            var labelText = close < 0 ? string.Empty : line[(metric.Length + 1)..close];
            if (!labels.All(l => labelText.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
            {
                continue;
            }

            var valueText = line[(close < 0 ? metric.Length : close + 1)..].Trim().Split(' ')[0];
            sum = (sum ?? 0) + double.Parse(valueText, CultureInfo.InvariantCulture);
        }

        return sum;
    }
}

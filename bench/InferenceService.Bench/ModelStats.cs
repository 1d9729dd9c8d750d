using System.Text.Json;

namespace InferenceService.Bench;

/// <summary>What a sweep reads from <c>GET /v2/models/{name}/stats</c>: batch counters and the latency tuner's state.</summary>
internal sealed record ModelStats(double InferenceCount, double ExecutionCount, JsonElement? LatencyTarget)
{
    public static async Task<ModelStats> ReadAsync(HttpClient client, Uri baseUrl, string model)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri(baseUrl, $"v2/models/{model}/stats")).ConfigureAwait(false));
        var stats = document.RootElement.GetProperty("model_stats")[0];
        JsonElement? target = stats.TryGetProperty("latency_target", out var t) ? t.Clone() : null;
        return new ModelStats(stats.GetProperty("inference_count").GetDouble(), stats.GetProperty("execution_count").GetDouble(), target);
    }

    public static double? AverageBatch(ModelStats before, ModelStats after)
    {
        var executions = after.ExecutionCount - before.ExecutionCount;
        return executions > 0 ? (after.InferenceCount - before.InferenceCount) / executions : null;
    }

    public double? PlanFactor => LatencyTarget?.GetProperty("plan_factor").GetDouble();

    /// <summary>The chosen size of the bucket that ran the most batches (the benchmark sends one shape).</summary>
    public int? ChosenBatch => LatencyTarget?.GetProperty("buckets").EnumerateArray()
        .OrderByDescending(b => b.GetProperty("batches").GetInt64()).Select(b => (int?)b.GetProperty("batch_size").GetInt32()).FirstOrDefault();
}

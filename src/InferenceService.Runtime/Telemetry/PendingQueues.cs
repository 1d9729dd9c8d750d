using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace InferenceService.Runtime.Telemetry;

/// <summary>The live batchers' queue depths, read when a metrics reader collects <c>inference_pending_requests</c>.</summary>
internal static class PendingQueues
{
    private static readonly ConcurrentDictionary<object, (string Model, Func<int> Depth)> Queues = new(ReferenceEqualityComparer.Instance);

    public static void Add(object owner, string model, Func<int> depth) => Queues[owner] = (model, depth);

    public static void Remove(object owner) => Queues.TryRemove(owner, out _);

    public static IEnumerable<Measurement<long>> Observe() =>
        Queues.Values.GroupBy(q => q.Model, StringComparer.Ordinal)
            .Select(g => new Measurement<long>(g.Sum(q => (long)q.Depth()), new KeyValuePair<string, object?>(InferenceTelemetry.ModelTag, g.Key)))
            .ToList();
}

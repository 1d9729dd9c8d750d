using System.Diagnostics;
using InferenceService.Runtime.Telemetry;

namespace InferenceService.Runtime.Batching;

/// <summary>
/// Spans of a batch: a "queue wait" span per member (child of the member's request, from admission to dispatch) and
/// one "batch execute" span, child of the oldest member and linked to the others, so every request's trace reaches it.
/// </summary>
internal static class BatchTracing
{
    public const string QueueSpan = "queue wait";
    public const string ExecuteSpan = "batch execute";

    public static void QueueWaits(List<QueuedRequest> members, TimeProvider timeProvider, ModelMetrics? metrics)
    {
        if (!InferenceTelemetry.Source.HasListeners())
        {
            return;
        }

        var now = timeProvider.GetTimestamp();
        var utcNow = timeProvider.GetUtcNow();
        foreach (var member in members)
        {
            if (member.Caller == default)
            {
                continue;
            }

            var start = utcNow - timeProvider.GetElapsedTime(member.EnqueuedAt, now);
            using var span = InferenceTelemetry.Source.StartActivity(QueueSpan, ActivityKind.Internal, member.Caller, startTime: start);
            if (span is not null)
            {
                Describe(span, metrics);
                span.SetEndTime((utcNow - timeProvider.GetElapsedTime(member.LeftQueueAt, now)).UtcDateTime);
            }
        }
    }

    public static Activity? StartExecute(List<QueuedRequest> members, ModelMetrics? metrics)
    {
        if (!InferenceTelemetry.Source.HasListeners())
        {
            return null;
        }

        var parent = members.Find(m => m.Caller != default)?.Caller ?? default;
        var links = members.Where(m => m.Caller != default && m.Caller != parent).Select(m => new ActivityLink(m.Caller)).ToList();
        var span = InferenceTelemetry.Source.StartActivity(ExecuteSpan, ActivityKind.Internal, parent, links: links);
        if (span is not null)
        {
            Describe(span, metrics);
            span.SetTag("inference.batch_size", QueuedRequest.Rows(members));
            span.SetTag("inference.requests", members.Count);
        }

        return span;
    }

    public static void Describe(Activity span, ModelMetrics? metrics)
    {
        if (metrics is null)
        {
            return;
        }

        span.SetTag("inference.model", metrics.Model);
        span.SetTag("inference.model_version", metrics.Version);
        span.SetTag("inference.execution_provider", metrics.ExecutionProvider);
    }
}

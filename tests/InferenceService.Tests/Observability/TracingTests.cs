using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using InferenceService.Runtime.Telemetry;

namespace InferenceService.Tests.Observability;

/// <summary>A V2 infer request's trace holds pre-processing, queue wait, batch execution and post-processing spans.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task Infer_WithTraceparent_TraceHoldsQueueAndBatchSpansWithModelAttributes()
    {
        var name = "traced-" + Guid.NewGuid().ToString("N")[..8];
        var traceId = ActivityTraceId.CreateRandom();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = Listen(traceId, spans);
        using var service = new CustomService();
        service.Write(Path.Combine(name, "config.json"), MetricsTests.BatchedAdderConfig);
        AdderModel.Publish(service.RepositoryPath, name, 1, AdderModel.Build(1f));
        using var client = await service.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/models/{name}/infer")
        {
            Content = System.Net.Http.Json.JsonContent.Create(V2Json.Request(V2Json.Tensor("x", "FP32", [2, 4], new float[8]))),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var names = spans.Select(s => s.OperationName).ToList();
        Assert.Contains(InferenceTelemetry.PreprocessSpan, names);
        Assert.Contains("queue wait", names);
        Assert.Contains(InferenceTelemetry.PostprocessSpan, names);
        var batch = Assert.Single(spans, s => s.OperationName == "batch execute");
        Assert.Equal(name, batch.GetTagItem("inference.model"));
        Assert.Equal(1L, batch.GetTagItem("inference.model_version"));
        Assert.Equal("cpu", batch.GetTagItem("inference.execution_provider"));
        Assert.Equal(2L, batch.GetTagItem("inference.batch_size"));
        var queue = spans.Single(s => s.OperationName == "queue wait");
        Assert.True(queue.StartTimeUtc <= batch.StartTimeUtc, $"queue wait starts {queue.StartTimeUtc:O}, batch {batch.StartTimeUtc:O}");
    }

    [Fact]
    public async Task TextEmbeddings_WithTraceparent_TraceHoldsTokeniseBatchAndPoolSpansOfMiniLm()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = Listen(traceId, spans);
        using var service = new CustomService();
        service.AddRealModel("minilm");
        using var client = await service.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/text/embeddings")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { texts = new[] { "This is a test." } }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preprocess = Assert.Single(spans, s => s.OperationName == InferenceTelemetry.PreprocessSpan);
        var postprocess = Assert.Single(spans, s => s.OperationName == InferenceTelemetry.PostprocessSpan);
        var batch = Assert.Single(spans, s => s.OperationName == "batch execute");
        Assert.Equal("minilm", preprocess.GetTagItem("inference.model"));
        Assert.Equal("minilm", postprocess.GetTagItem("inference.model"));
        Assert.True(preprocess.StartTimeUtc + preprocess.Duration <= batch.StartTimeUtc, "tokenising ends before the batch runs");
        Assert.True(batch.StartTimeUtc + batch.Duration <= postprocess.StartTimeUtc, "pooling starts after the batch ran");
    }

    /// <summary>Collects the service's spans of one trace as they stop.</summary>
    private static ActivityListener Listen(ActivityTraceId traceId, ConcurrentQueue<Activity> spans)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == InferenceTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.TraceId == traceId)
                {
                    spans.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}

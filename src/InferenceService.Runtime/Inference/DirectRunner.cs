using System.Diagnostics;
using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Inference;

/// <summary>No batching: each request runs alone on a free instance.</summary>
/// <param name="batches">Whether dim 0 of the inputs is the batch dim (max_batch_size &gt; 0), so items are counted from it.</param>
internal sealed class DirectRunner(IBatchExecutor executor, IReadOnlyList<string> allOutputs, bool batches, TimeProvider timeProvider, ModelMetrics? metrics = null) : IModelRunner, IModelStatistics
{
    private readonly ModelStatistics _statistics = new(timeProvider, metrics);

    public async Task<IReadOnlyList<Tensor>> InferAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var start = timeProvider.GetTimestamp();
        var items = batches && request.Inputs.Count > 0 && request.Inputs[0].Shape.Length > 0 ? request.Inputs[0].Shape[0] : 1;
        using var span = InferenceTelemetry.Source.StartActivity(BatchTracing.ExecuteSpan);
        if (span is not null)
        {
            BatchTracing.Describe(span, metrics);
            span.SetTag("inference.batch_size", items);
        }

        try
        {
            var outputs = await executor.ExecuteAsync(request.Inputs, request.Outputs ?? allOutputs, cancellationToken).ConfigureAwait(false);
            var elapsed = timeProvider.GetTimestamp() - start;
            _statistics.RecordExecution(items);
            _statistics.RecordBatch(items, input: 0, infer: elapsed, output: 0);

            // Waiting for a free instance happens inside the executor, so it counts as compute here.
            _statistics.RecordSuccess(elapsed, queue: 0, input: 0, infer: elapsed, output: 0);
            return outputs;
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            _statistics.RecordFailure(timeProvider.GetTimestamp() - start);
            throw;
        }
    }

    public ModelStatisticsSnapshot GetStatistics() => _statistics.Snapshot();

    public int QueueDepth => 0;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

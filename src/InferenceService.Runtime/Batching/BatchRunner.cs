using System.Diagnostics;
using InferenceService.Runtime.Batching.LatencyTarget;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Logging;

namespace InferenceService.Runtime.Batching;

/// <summary>Runs one dispatched batch: assemble, execute, split, answer each member (unless it was cancelled meanwhile).</summary>
/// <param name="tuner">With latency_target_ms: told each successful batch's time and its members' latencies.</param>
internal sealed class BatchRunner(BatchingModel model, IBatchExecutor executor, TimeProvider timeProvider, ModelStatistics statistics, ILogger logger, LatencyTuner? tuner = null, ModelMetrics? metrics = null)
{
    /// <summary>Never throws: every outcome is delivered to the members. An engine error fails only these members.</summary>
    /// <param name="backlogged">Compatible requests stayed queued behind this batch (passed on to the <see cref="LatencyTuner"/>).</param>
    public async Task RunAsync(List<QueuedRequest> members, CancellationToken shutdown, bool backlogged = false)
    {
        BatchTracing.QueueWaits(members, timeProvider, metrics);
        using var span = BatchTracing.StartExecute(members, metrics, members.Sum(m => (long)m.Shape.Rows));
        try
        {
            if (members.TrueForAll(m => m.IsAnswered))
            {
                return;
            }

            var t0 = timeProvider.GetTimestamp();
            var batch = BatchAssembler.Assemble(model, members);
            var t1 = timeProvider.GetTimestamp();
            var outputs = await executor.ExecuteAsync(batch.Inputs, batch.OutputNames, shutdown).ConfigureAwait(false);
            var t2 = timeProvider.GetTimestamp();
            statistics.RecordExecution(batch.Rows);
            BatchAssembler.CheckOutputs(model, batch, outputs);
            var answers = new IReadOnlyList<Tensor>?[members.Count];
            long row = 0;
            for (var m = 0; m < members.Count; m++)
            {
                if (!members[m].IsAnswered)
                {
                    answers[m] = BatchAssembler.Split(model, batch, outputs, members, m, row);
                }

                row += members[m].Shape.Rows;
            }

            var t3 = timeProvider.GetTimestamp();
            statistics.RecordBatch(batch.Rows, t1 - t0, t2 - t1, t3 - t2);

            // Before answering, so that whoever sees an answer also sees the cost model and p99 that include its batch.
            tuner?.Observe(members[0].Shape.Key, (int)batch.Rows, t3 - t0, backlogged, Enumerable.Range(0, members.Count).Where(m => answers[m] is not null).Select(m => members[m].EnqueuedAt), t3);
            for (var m = 0; m < members.Count; m++)
            {
                var member = members[m];
                if (answers[m] is { } answer && member.TrySucceed(answer))
                {
                    statistics.RecordSuccess(t3 - member.EnqueuedAt, member.LeftQueueAt - member.EnqueuedAt, t1 - t0, t2 - t1, t3 - t2);
                }
            }
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            var unloaded = ex is OperationCanceledException && shutdown.IsCancellationRequested;
            if (!unloaded)
            {
                BatcherLog.BatchFailed(logger, model.Name, members.Count, members.Sum(m => (long)m.Shape.Rows), ex);
            }

            foreach (var member in members)
            {
                if (member.TryFail(unloaded ? BatcherErrors.Unloading(model.Name) : BatcherErrors.BatchFailed(model.Name, ex)))
                {
                    statistics.RecordFailure(timeProvider.GetTimestamp() - member.EnqueuedAt);
                }
            }
        }
    }
}

using System.Diagnostics;
using InferenceService.Runtime.Batching.LatencyTarget;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Logging;

namespace InferenceService.Runtime.Batching;

/// <summary>
/// Runs one dispatched batch: assemble, execute, split, answer each member (unless it was cancelled meanwhile). When
/// the engine fails a batch, the batch is split and re-run until the failing requests are alone, so only they get
/// the error and everyone else their own answer.
/// </summary>
/// <param name="tuner">With latency_target_ms: told each successful batch's time and its members' latencies.</param>
/// <param name="drain">Told each planned batch's time per request, for admission's expected wait.</param>
/// <param name="inputBuffers">Where concatenated inputs' arrays come from and go back to after each run; by default twice the instances' worth.</param>
internal sealed class BatchRunner(BatchingModel model, IBatchExecutor executor, TimeProvider timeProvider, ModelStatistics statistics, ILogger logger, LatencyTuner? tuner = null, ModelMetrics? metrics = null, QueueDrainEstimate? drain = null, ArrayRecycler? inputBuffers = null)
{
    private readonly ArrayRecycler _inputBuffers = inputBuffers ?? new ArrayRecycler(capacity: 2 * Math.Max(1, executor.InstanceCount) * Math.Max(1, model.Config.Inputs.Count));

    /// <summary>Never throws: every outcome is delivered to the members.</summary>
    /// <param name="backlogged">Compatible requests stayed queued behind this batch (passed on to the <see cref="LatencyTuner"/>).</param>
    public async Task RunAsync(List<QueuedRequest> members, CancellationToken shutdown, bool backlogged = false)
    {
        BatchTracing.QueueWaits(members, timeProvider, metrics);
        using var span = BatchTracing.StartExecute(members, metrics);
        var live = Live(members);
        try
        {
            if (live.Count == 0)
            {
                return;
            }

            try
            {
                await ExecuteAsync(live, shutdown, observe: true, backlogged).ConfigureAwait(false);
            }
            catch (InferenceException ex) when (live.Count > 1 && !shutdown.IsCancellationRequested)
            {
                span?.SetStatus(ActivityStatusCode.Error, "isolating");
                BatcherLog.Isolating(logger, model.Name, live.Count, ex.Message);
                var culprits = new List<(QueuedRequest Member, InferenceException Error)>();
                var othersAnswered = await IsolateAsync(live, shutdown, culprits).ConfigureAwait(false);
                foreach (var (member, error) in culprits)
                {
                    Fail(member, BatcherErrors.Culprit(model.Name, error, othersAnswered));
                }
            }
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            var unloaded = ex is OperationCanceledException && shutdown.IsCancellationRequested;
            if (!unloaded)
            {
                BatcherLog.BatchFailed(logger, model.Name, live.Count, QueuedRequest.Rows(live), ex);
            }

            foreach (var member in live)
            {
                Fail(member, unloaded ? BatcherErrors.Unloading(model.Name) : BatcherErrors.BatchFailed(model.Name, ex));
            }
        }
    }

    /// <summary>
    /// Re-runs each half of a failed group, and each failing half's halves, until the failing requests are alone:
    /// about 2·k·log2(n) runs for k culprits among n. Returns whether any member got its answer.
    /// </summary>
    private async Task<bool> IsolateAsync(List<QueuedRequest> group, CancellationToken shutdown, List<(QueuedRequest Member, InferenceException Error)> culprits)
    {
        var answered = false;
        var half = group.Count / 2;
        foreach (var part in new[] { group[..half], group[half..] })
        {
            var live = part.FindAll(m => !m.IsAnswered);
            if (live.Count == 0)
            {
                continue;
            }

            try
            {
                await ExecuteAsync(live, shutdown, observe: false, backlogged: false).ConfigureAwait(false);
                answered = true;
            }
            catch (InferenceException ex) when (!shutdown.IsCancellationRequested)
            {
                if (live.Count == 1)
                {
                    culprits.Add((live[0], ex));
                }
                else
                {
                    answered |= await IsolateAsync(live, shutdown, culprits).ConfigureAwait(false);
                }
            }
        }

        return answered;
    }

    /// <summary>One engine run of <paramref name="members"/> (none answered yet); throws what the engine threw.</summary>
    private async Task ExecuteAsync(List<QueuedRequest> members, CancellationToken shutdown, bool observe, bool backlogged)
    {
        var t0 = timeProvider.GetTimestamp();
        using var batch = BatchAssembler.Assemble(model, members, _inputBuffers);
        var t1 = timeProvider.GetTimestamp();
        var t2 = t1;

        IReadOnlyList<Tensor>?[] Split(IReadOnlyList<Tensor> outputs)
        {
            t2 = timeProvider.GetTimestamp();
            statistics.RecordExecution(batch.Rows);
            BatchAssembler.CheckOutputs(model, batch, outputs);
            var split = new IReadOnlyList<Tensor>?[members.Count];
            long row = 0;
            for (var m = 0; m < members.Count; m++)
            {
                if (!members[m].IsAnswered)
                {
                    split[m] = BatchAssembler.Split(model, batch, outputs, members, m, row);
                }

                row += members[m].Shape.Rows;
            }

            return split;
        }

        // A lone member's answer is the engine's output itself, so it must own it; several members get slices copied
        // out, so the executor only lends the outputs and can reuse their arrays for the next batch.
        var answers = members.Count == 1
            ? Split(await executor.ExecuteAsync(batch.Inputs, batch.OutputNames, shutdown).ConfigureAwait(false))
            : await executor.ExecuteAsync(batch.Inputs, batch.OutputNames, Split, shutdown).ConfigureAwait(false);

        var t3 = timeProvider.GetTimestamp();
        statistics.RecordBatch(batch.Rows, t1 - t0, t2 - t1, t3 - t2);

        // Before answering, so that whoever sees an answer also sees the cost model and p99 that include its batch.
        // Re-runs while isolating a failure are not the batches the plan chose: they are left out of it.
        if (observe)
        {
            drain?.Observe(members.Count, t3 - t0);
            tuner?.Observe(members[0].Shape.Key, (int)batch.Rows, t3 - t0, backlogged, Enumerable.Range(0, members.Count).Where(m => answers[m] is not null).Select(m => members[m].EnqueuedAt), t3);
        }

        for (var m = 0; m < members.Count; m++)
        {
            var member = members[m];
            if (answers[m] is { } answer && member.TryClaimAnswer())
            {
                // Counted before it is published: whoever sees the answer sees it in the statistics.
                statistics.RecordSuccess(t3 - member.EnqueuedAt, member.LeftQueueAt - member.EnqueuedAt, t1 - t0, t2 - t1, t3 - t2);
                member.Succeed(answer);
            }
        }
    }

    /// <summary>The members not answered yet (cancelled or timed out meanwhile); <paramref name="members"/> itself when that is all of them, as it nearly always is.</summary>
    private static List<QueuedRequest> Live(List<QueuedRequest> members)
    {
        foreach (var member in members)
        {
            if (member.IsAnswered)
            {
                return members.FindAll(m => !m.IsAnswered);
            }
        }

        return members;
    }

    private void Fail(QueuedRequest member, InferenceException error)
    {
        if (member.TryClaimAnswer())
        {
            statistics.RecordFailure(timeProvider.GetTimestamp() - member.EnqueuedAt);
            member.Fail(error);
        }
    }
}

using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;
using Microsoft.Extensions.Logging.Abstractions;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>
/// Fires thousands of concurrent requests (random item counts, lengths, priorities and cancellations) through the runner
/// <see cref="ModelRunnerFactory"/> builds over <paramref name="executor"/>, and compares each answer with the same
/// executor's unbatched answer. Works for any text-like model: every input must be INT64 or INT32 with dims [-1]; inputs
/// named *mask* get 1, *type* 0, the others random ids. For a real model pass its session pool and config.json.
/// </summary>
public static class BatchingStressHarness
{
    /// <param name="beforeSubmit">Runs after the unbatched answers are computed, before the first request (e.g. hold the executor).</param>
    /// <param name="afterSubmit">Runs once every request is queued (e.g. let the executor go).</param>
    public static async Task<StressReport> RunAsync(
        IBatchExecutor executor,
        ModelConfig config,
        StressOptions options,
        Action? beforeSubmit = null,
        Action? afterSubmit = null)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var random = new Random(options.Seed);
        var outputs = config.Outputs.Select(o => o.Name).ToList();
        var levels = config.DynamicBatching?.PriorityLevels ?? 0;
        var requests = Enumerable.Range(0, options.Requests).Select(_ => MakeRequest(config, options, random, levels)).ToList();
        var plan = requests.Select(_ => random.NextDouble() < options.CancelFraction ? 1 + random.Next(2) : 0).ToArray();
        var expected = new IReadOnlyList<Tensor>[requests.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, requests.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, executor.InstanceCount) },
            async (i, ct) => expected[i] = await executor.ExecuteAsync(requests[i].Inputs, outputs, ct).ConfigureAwait(false)).ConfigureAwait(false);

        var cancellations = plan.Select(p => p > 0 ? new CancellationTokenSource() : null).ToArray();
        var runner = ModelRunnerFactory.Create("stress", config, executor, TimeProvider.System, NullLoggerFactory.Instance);
        try
        {
            beforeSubmit?.Invoke();
            var answers = new Task<IReadOnlyList<Tensor>>[requests.Count];

            // Submitted from several threads at once, as concurrent HTTP requests would be.
            var chunk = (requests.Count + 3) / 4;
            await Task.WhenAll(Enumerable.Range(0, 4).Select(c => Task.Run(() =>
            {
                for (var i = c * chunk; i < Math.Min(requests.Count, (c + 1) * chunk); i++)
                {
                    answers[i] = runner.InferAsync(requests[i], cancellations[i]?.Token ?? CancellationToken.None);
                }
            }))).ConfigureAwait(false);

            await CancelAsync(cancellations, plan, wave: 1).ConfigureAwait(false);
            afterSubmit?.Invoke();
            await CancelAsync(cancellations, plan, wave: 2).ConfigureAwait(false);
            try
            {
                await Task.WhenAll(answers).WaitAsync(options.AnswerBound).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Every task is inspected one by one below.
            }

            var statistics = ((IModelStatistics)runner).GetStatistics();
            return Check(requests, answers, expected, plan, options, statistics);
        }
        finally
        {
            await runner.DisposeAsync().ConfigureAwait(false);
            foreach (var cancellation in cancellations)
            {
                cancellation?.Dispose();
            }
        }
    }

    private static StressReport Check(
        List<InferenceRequest> requests,
        Task<IReadOnlyList<Tensor>>[] answers,
        IReadOnlyList<Tensor>[] expected,
        int[] plan,
        StressOptions options,
        ModelStatisticsSnapshot statistics)
    {
        var problems = new List<string>();
        int succeeded = 0, cancelled = 0, unanswered = 0;
        for (var i = 0; i < answers.Length; i++)
        {
            var answer = answers[i];
            if (!answer.IsCompleted)
            {
                unanswered++;
                problems.Add($"request {i}: no answer within {options.AnswerBound}");
            }
            else if (answer.IsCanceled)
            {
                cancelled++;
                if (plan[i] == 0)
                {
                    problems.Add($"request {i}: cancelled although nobody cancelled it");
                }
            }
            else if (answer.IsFaulted)
            {
                problems.Add($"request {i}: {answer.Exception!.InnerException!.Message}");
            }
            else
            {
                succeeded++;
                var actual = answer.Result;
                if (actual.Count != expected[i].Count)
                {
                    problems.Add($"request {i}: {actual.Count} outputs, expected {expected[i].Count}");
                    continue;
                }

                for (var o = 0; o < actual.Count; o++)
                {
                    if (TensorAssert.Difference(expected[i][o], actual[o], options.Tolerance) is { } difference)
                    {
                        problems.Add($"request {i} ({requests[i].Inputs[0]}): {difference}");
                    }
                }
            }
        }

        return new StressReport(answers.Length, succeeded, cancelled, plan.Count(p => p > 0), plan.Count(p => p == 1), unanswered, problems, statistics);
    }

    private static async Task CancelAsync(CancellationTokenSource?[] cancellations, int[] plan, int wave)
    {
        for (var i = 0; i < plan.Length; i++)
        {
            if (plan[i] == wave)
            {
                await cancellations[i]!.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private static InferenceRequest MakeRequest(ModelConfig config, StressOptions options, Random random, int levels)
    {
        var rows = random.Next(1, Math.Min(options.MaxRows, config.MaxBatchSize) + 1);
        var length = random.Next(options.MinLength, options.MaxLength + 1);
        var inputs = new List<Tensor>();
        foreach (var input in config.Inputs)
        {
            var values = new long[rows * length];
            for (var j = 0; j < values.Length; j++)
            {
                values[j] = input.Name.Contains("mask", StringComparison.OrdinalIgnoreCase) ? 1
                    : input.Name.Contains("type", StringComparison.OrdinalIgnoreCase) ? 0
                    : random.Next(1, options.VocabularySize);
            }

            inputs.Add(input.Datatype == "INT32"
                ? new Tensor(input.Name, TensorDataType.Int32, [rows, length], values.Select(v => (int)v).ToArray())
                : new Tensor(input.Name, TensorDataType.Int64, [rows, length], values));
        }

        return new InferenceRequest { Inputs = inputs, Priority = levels > 1 ? random.Next(1, levels + 1) : null };
    }
}

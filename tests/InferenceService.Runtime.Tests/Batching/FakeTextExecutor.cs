using System.Collections.Concurrent;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Tests.Batching;

/// <summary>
/// A text model in miniature: a deterministic per-item function of input_ids under attention_mask, so any answer can be
/// compared with its unbatched answer. Padding with mask 0 changes nothing (as for MiniLM); padding with anything else does.
/// Optionally holds each run until the test releases it, to make queueing deterministic.
/// </summary>
internal sealed class FakeTextExecutor(int instanceCount = 1) : IBatchExecutor, IDisposable
{
    private readonly ConcurrentQueue<ExecutorCall> _calls = new();
    private readonly SemaphoreSlim _gate = new(0);
    // Held while recording a call and while registering a waiter, so a waiter never misses the call that satisfies it.
    private readonly Lock _waitersLock = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private volatile bool _held;
    private int _running;
    private int _maxRunning;

    public int InstanceCount { get; } = instanceCount;

    /// <summary>Runs whose inputs make this true fail with a Backend error.</summary>
    public Func<IReadOnlyList<Tensor>, bool>? FailWhen { get; set; }

    public IReadOnlyList<ExecutorCall> Calls => _calls.ToArray();

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public static IReadOnlyList<Tensor> Compute(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames)
    {
        var idsTensor = inputs.Single(t => t.Name == "input_ids");
        var ids = idsTensor.As<long>();
        var mask = inputs.Single(t => t.Name == "attention_mask").As<long>();
        var rows = (int)idsTensor.Shape[0];
        var length = (int)idsTensor.Shape[1];
        var hidden = new float[rows * length * 2];
        var pooled = new float[rows * 2];
        for (var r = 0; r < rows; r++)
        {
            long sum = 0;
            long count = 0;
            for (var j = 0; j < length; j++)
            {
                sum += ids[(r * length) + j] * mask[(r * length) + j];
                count += mask[(r * length) + j];
            }

            for (var j = 0; j < length; j++)
            {
                for (var k = 0; k < 2; k++)
                {
                    hidden[(((r * length) + j) * 2) + k] = (ids[(r * length) + j] * (k + 1)) + (0.001f * sum);
                }
            }

            for (var k = 0; k < 2; k++)
            {
                pooled[(r * 2) + k] = (sum * (k + 1)) + count;
            }
        }

        return outputNames.Select(name => name switch
        {
            "last_hidden_state" => new Tensor(name, TensorDataType.Fp32, [rows, length, 2], hidden),
            "pooler_output" => new Tensor(name, TensorDataType.Fp32, [rows, 2], pooled),
            _ => throw new InferenceException(InferenceErrorKind.Backend, $"no output '{name}'"),
        }).ToList();
    }

    /// <summary>From now on each run waits for <see cref="Release"/> or <see cref="Open"/>.</summary>
    public void Hold()
    {
        // Permits left over from an earlier Open would let the next runs through: from now on each one waits.
        while (_gate.Wait(0))
        {
        }

        _held = true;
    }

    public void Release(int runs = 1) => _gate.Release(runs);

    /// <summary>Stops holding and lets every _held run go.</summary>
    public void Open()
    {
        _held = false;
        _gate.Release(100_000);
    }

    /// <summary>Completes once <paramref name="count"/> runs have started (bounded, so a broken batcher fails the test instead of hanging it).</summary>
    public Task WaitForCallsAsync(int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitersLock)
        {
            if (_calls.Count >= count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((count, done));
        }

        return done.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async Task<IReadOnlyList<Tensor>> ExecuteAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _running);
        InterlockedMax(ref _maxRunning, now);
        try
        {
            lock (_waitersLock)
            {
                // A copy: the batcher reuses a batch's input arrays once the run is over.
                _calls.Enqueue(new ExecutorCall(inputs.Select(t => new Tensor(t.Name, t.DataType, t.Shape, (Array)t.Data.Clone())).ToList(), outputNames));
                foreach (var waiter in _waiters.Where(w => w.Count <= _calls.Count))
                {
                    waiter.Done.TrySetResult();
                }

                _waiters.RemoveAll(w => w.Done.Task.IsCompleted);
            }

            if (_held)
            {
                // Bounded, so a test that fails before releasing its runs does not hang in the batcher's disposal.
                _ = await _gate.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Task.Yield();
            }

            if (FailWhen?.Invoke(inputs) == true)
            {
                throw new InferenceException(InferenceErrorKind.Backend, "fake engine error");
            }

            return Compute(inputs, outputNames);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    public void Dispose() => _gate.Dispose();

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }
}

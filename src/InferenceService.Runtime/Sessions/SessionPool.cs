using System.Collections.Concurrent;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Runtime.Sessions;

/// <summary>
/// N long-lived sessions of one model version. Each run takes a whole instance (a lease), because two callers
/// sharing one session's intra-op threads measured 20–30 % slower than two sessions with half the threads each.
/// </summary>
public sealed class SessionPool : IBatchExecutor, IDisposable
{
    private readonly InferenceSession[] _sessions;
    private readonly ConcurrentBag<InferenceSession> _free;
    private readonly SemaphoreSlim _available;

    // The outputs lent to a reader (IBatchExecutor's lending ExecuteAsync), kept for the next batch of the same shape:
    // while one batch's outputs are read the next may run, so twice the instances' worth.
    private readonly ArrayRecycler _outputBuffers;
    private readonly ExecutionBudget? _budget;
    private int _disposed;

    internal SessionPool(InferenceSession[] sessions, string executionProvider, int intraOpThreads, string? providerFallback = null, ExecutionBudget? budget = null)
    {
        _budget = budget;
        _sessions = sessions;
        _free = new ConcurrentBag<InferenceSession>(sessions);
        _available = new SemaphoreSlim(sessions.Length, sessions.Length);
        _outputBuffers = new ArrayRecycler(capacity: sessions.Length == 0 ? 0 : 2 * sessions.Length * Math.Max(1, sessions[0].OutputMetadata.Count));
        ExecutionProvider = executionProvider;
        IntraOpThreads = intraOpThreads;
        ProviderFallback = providerFallback;
    }

    public int InstanceCount => _sessions.Length;

    /// <summary>The execution provider the sessions actually run on.</summary>
    public string ExecutionProvider { get; }

    /// <summary>Why the providers the config prefers to <see cref="ExecutionProvider"/> are not used; null when it is the first choice.</summary>
    public string? ProviderFallback { get; }

    public int IntraOpThreads { get; }

    public IReadOnlyDictionary<string, NodeMetadata> InputMetadata => _sessions[0].InputMetadata;

    public IReadOnlyDictionary<string, NodeMetadata> OutputMetadata => _sessions[0].OutputMetadata;

    public Task<IReadOnlyList<Tensor>> ExecuteAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken) =>
        RunOnFreeSessionAsync(inputs, outputNames, buffers: null, cancellationToken);

    /// <summary>The outputs' arrays come from a recycler and go back to it once <paramref name="read"/> is done; the instance is free meanwhile.</summary>
    async Task<TResult> IBatchExecutor.ExecuteAsync<TResult>(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, Func<IReadOnlyList<Tensor>, TResult> read, CancellationToken cancellationToken)
    {
        var outputs = await RunOnFreeSessionAsync(inputs, outputNames, _outputBuffers, cancellationToken).ConfigureAwait(false);
        try
        {
            return read(outputs);
        }
        finally
        {
            foreach (var output in outputs)
            {
                _outputBuffers.Return(output);
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var session in _sessions)
        {
            session.Dispose();
        }

        _available.Dispose();
    }

    private async Task<IReadOnlyList<Tensor>> RunOnFreeSessionAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, ArrayRecycler? buffers, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        // Runs on the caller's thread: a free instance is taken at once, a busy pool resumes this method on a pool
        // thread when one frees (SemaphoreSlim's waiters continue asynchronously). Run blocks that thread for the
        // computation, as a Task.Run would block another; what the hop to it cost is saved (for a model of a few
        // microseconds, more than the run). Callers that must not block (the batcher's loop) run batches on their own task.
        if (!_available.Wait(0, CancellationToken.None))
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        _free.TryTake(out var session);
        ExecutionBudget.Lease? cores = null;
        try
        {
            // Across models: the run holds one core token per intra-op thread while it computes.
            cores = _budget is null ? null : await _budget.AcquireAsync(IntraOpThreads, priority: 1, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return Run(session!, inputs, outputNames, buffers, cancellationToken);
        }
        finally
        {
            cores?.Dispose();
            _free.Add(session!);
            _available.Release();
        }
    }

    private static IReadOnlyList<Tensor> Run(InferenceSession session, IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, ArrayRecycler? buffers, CancellationToken cancellationToken)
    {
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, runOptions);
        var names = new string[inputs.Count];
        var values = new OrtValue[inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                names[i] = inputs[i].Name;
                values[i] = OrtTensorConverter.ToOrtValue(inputs[i]);
            }

            using var outputs = session.Run(runOptions, names, values, outputNames);
            var result = new Tensor[outputNames.Count];
            var index = 0;
            foreach (var output in outputs)
            {
                result[index] = OrtTensorConverter.FromOrtValue(outputNames[index], output, buffers);
                index++;
            }

            return result;
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (OnnxRuntimeException e) when (e.Message.StartsWith("[ErrorCode:InvalidArgument]", StringComparison.Ordinal))
        {
            // The graph refused these inputs (e.g. inputs whose lengths must agree but don't): the request is at fault.
            throw new InferenceException(InferenceErrorKind.BadRequest, "The model rejected the inputs: " + e.Message, e);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceException(InferenceErrorKind.Backend, "ONNX Runtime failed to run the model: " + e.Message, e);
        }
        finally
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }
        }
    }
}

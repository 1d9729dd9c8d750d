using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Tests.Reliability.Chaos;

/// <summary>Makes one model's engine fail on demand (through <see cref="ModelRunnerServices.ExecutorFaults"/>); the others run as usual.</summary>
internal sealed class EngineFaults(string model)
{
    public const string Message = "injected engine fault";

    private volatile bool _failing;

    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    public IBatchExecutor Wrap(string name, IBatchExecutor pool) => name == model ? new FaultyExecutor(pool, this) : pool;

    private sealed class FaultyExecutor(IBatchExecutor inner, EngineFaults faults) : IBatchExecutor
    {
        public int InstanceCount => inner.InstanceCount;

        public Task<IReadOnlyList<Tensor>> ExecuteAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken) =>
            faults.Failing
                ? throw new InferenceException(InferenceErrorKind.Backend, Message)
                : inner.ExecuteAsync(inputs, outputNames, cancellationToken);
    }
}

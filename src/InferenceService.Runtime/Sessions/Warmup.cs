using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Sessions;

/// <summary>Runs zero-filled requests on every instance so the first real request does not pay for lazy initialisation.</summary>
internal static class Warmup
{
    public static async Task RunAsync(ModelConfig config, SessionPool pool, CancellationToken cancellationToken)
    {
        var spec = config.Warmup ?? new WarmupConfig();
        var inputs = config.Inputs.Select(i => ZeroTensor(config, spec, i)).ToList();
        var outputs = config.Outputs.Select(o => o.Name).ToList();
        for (var run = 0; run < spec.Runs; run++)
        {
            // As many concurrent runs as instances, so each instance gets one.
            await Task.WhenAll(Enumerable.Range(0, pool.InstanceCount)
                .Select(_ => pool.ExecuteAsync(inputs, outputs, cancellationToken))).ConfigureAwait(false);
        }
    }

    private static Tensor ZeroTensor(ModelConfig config, WarmupConfig spec, TensorConfig input)
    {
        var dims = spec.DimsOf(input);
        var shape = config.MaxBatchSize > 0 ? [spec.BatchSize, .. dims] : dims;
        TensorDataTypes.TryParse(input.Datatype, out var type);
        TensorShape.TryGetElementCount(shape, out var count);
        var data = type == TensorDataType.Bytes ? Enumerable.Repeat(string.Empty, count).ToArray() : Array.CreateInstance(type.ElementType(), count);
        return new Tensor(input.Name, type, shape, data);
    }
}

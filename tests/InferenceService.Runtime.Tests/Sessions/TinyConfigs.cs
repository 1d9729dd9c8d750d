using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Sessions;

namespace InferenceService.Runtime.Tests.Sessions;

/// <summary>The config.json that describes each of <see cref="TinyGraphs"/>, CPU only unless a test says otherwise.</summary>
internal static class TinyConfigs
{
    /// <summary><see cref="TinyGraphs.AddOne"/> with a symbolic batch dim: batching, x and y FP32 [4].</summary>
    public static ModelConfig AddOne(int instances = 1, int intraOpThreads = 1) => new()
    {
        MaxBatchSize = 8,
        Inputs = [new TensorConfig { Name = "x", Datatype = "FP32", Dims = [4] }],
        Outputs = [new TensorConfig { Name = "y", Datatype = "FP32", Dims = [4] }],
        InstanceCount = instances,
        IntraOpThreads = intraOpThreads,
        ExecutionProviders = [ExecutionProviderCatalog.Cpu],
    };

    /// <summary><see cref="TinyGraphs.Identity"/>: no batching, in and out of <paramref name="datatype"/> [-1].</summary>
    public static ModelConfig Identity(string datatype) => new()
    {
        Inputs = [new TensorConfig { Name = "in", Datatype = datatype, Dims = [-1] }],
        Outputs = [new TensorConfig { Name = "out", Datatype = datatype, Dims = [-1] }],
        IntraOpThreads = 1,
        ExecutionProviders = [ExecutionProviderCatalog.Cpu],
    };
}

using InferenceService.Runtime.Sessions;

namespace InferenceService.Runtime.Tests.Sessions;

public sealed class SessionPoolFactoryTests : IDisposable
{
    private readonly ModelFolder _folder = new(TinyGraphs.AddOne());

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Create_TwoInstances_OpensTwoSessions()
    {
        using var pool = _folder.Open(TinyConfigs.AddOne(instances: 2));

        Assert.Equal(2, pool.InstanceCount);
    }

    [Fact]
    public void Create_IntraOpThreadsSet_GivesEachSessionThatMany()
    {
        using var pool = _folder.Open(TinyConfigs.AddOne(intraOpThreads: 3));

        Assert.Equal(3, pool.IntraOpThreads);
    }

    [Fact]
    public void Create_IntraOpThreadsZero_SplitsTheCoresAmongTheInstances()
    {
        using var pool = _folder.Open(TinyConfigs.AddOne(instances: 2, intraOpThreads: 0));

        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), pool.IntraOpThreads);
    }

    [Fact]
    public void Create_CpuOnlyConfig_RunsOnCpu()
    {
        using var pool = _folder.Open(TinyConfigs.AddOne());

        Assert.Equal(ExecutionProviderCatalog.Cpu, pool.ExecutionProvider);
    }

    [Fact]
    public void Create_CudaPreferred_ReportsTheProviderTheCatalogCouldLoad()
    {
        var config = TinyConfigs.AddOne() with { ExecutionProviders = [ExecutionProviderCatalog.Cuda, ExecutionProviderCatalog.Cpu] };

        using var pool = _folder.Open(config);

        var expected = _folder.Providers.Failures.ContainsKey(ExecutionProviderCatalog.Cuda) ? ExecutionProviderCatalog.Cpu : ExecutionProviderCatalog.Cuda;
        Assert.Equal(expected, pool.ExecutionProvider);
    }
}

using InferenceService.Runtime.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Runtime.Tests.Sessions;

/// <summary>
/// CI machines have no GPU and developer machines may: the CUDA tests assert what the catalog reports, consistently,
/// and never require CUDA to load.
/// </summary>
public sealed class ExecutionProviderCatalogTests
{
    [Fact]
    public void Configure_CpuFirst_ReturnsCpuWithoutTryingCuda()
    {
        var log = new RecordingLogger<ExecutionProviderCatalog>();
        var catalog = new ExecutionProviderCatalog(new OnnxRuntimeEnvironment(NullLoggerFactory.Instance), log);
        using var options = new SessionOptions();

        var provider = catalog.Configure(options, [ExecutionProviderCatalog.Cpu, ExecutionProviderCatalog.Cuda], "m");

        Assert.Equal(ExecutionProviderCatalog.Cpu, provider);
        Assert.Empty(catalog.Failures);
        Assert.Empty(log.Messages);
    }

    [Fact]
    public void Configure_CudaThenCpu_ReturnsCudaOrCpuWithTheReasonCudaFailed()
    {
        var catalog = new ExecutionProviderCatalog(new OnnxRuntimeEnvironment(NullLoggerFactory.Instance), new RecordingLogger<ExecutionProviderCatalog>());
        using var options = new SessionOptions();

        var provider = catalog.Configure(options, [ExecutionProviderCatalog.Cuda, ExecutionProviderCatalog.Cpu], "m");

        var cudaFailed = catalog.Failures.TryGetValue(ExecutionProviderCatalog.Cuda, out var reason);
        Assert.Equal(cudaFailed ? ExecutionProviderCatalog.Cpu : ExecutionProviderCatalog.Cuda, provider);
        Assert.True(!cudaFailed || !string.IsNullOrWhiteSpace(reason), "a CUDA failure is recorded with its reason");
    }

    [Fact]
    public void Configure_CudaOnlyListed_FallsBackToCpuWhenCudaFails()
    {
        var catalog = new ExecutionProviderCatalog(new OnnxRuntimeEnvironment(NullLoggerFactory.Instance), new RecordingLogger<ExecutionProviderCatalog>());
        using var options = new SessionOptions();

        var provider = catalog.Configure(options, [ExecutionProviderCatalog.Cuda], "m");

        Assert.Equal(catalog.Failures.ContainsKey(ExecutionProviderCatalog.Cuda) ? ExecutionProviderCatalog.Cpu : ExecutionProviderCatalog.Cuda, provider);
    }

    [Fact]
    public void Configure_SecondModelAfterCudaFailed_LogsTheFailureOnlyOnce()
    {
        var log = new RecordingLogger<ExecutionProviderCatalog>();
        var catalog = new ExecutionProviderCatalog(new OnnxRuntimeEnvironment(NullLoggerFactory.Instance), log);
        using var first = new SessionOptions();
        using var second = new SessionOptions();

        catalog.Configure(first, [ExecutionProviderCatalog.Cuda, ExecutionProviderCatalog.Cpu], "a");
        catalog.Configure(second, [ExecutionProviderCatalog.Cuda, ExecutionProviderCatalog.Cpu], "b");

        // No CUDA: one warning naming the first model. CUDA present: nothing to warn about.
        var expected = catalog.Failures.ContainsKey(ExecutionProviderCatalog.Cuda) ? 1 : 0;
        Assert.Equal(expected, log.Messages.Count);
        Assert.All(log.Messages, m => Assert.Contains("model a", m, StringComparison.Ordinal));
    }

    [Fact]
    public void WhyNotPreferred_ChosenIsFirstListed_ReturnsNull()
    {
        var catalog = new ExecutionProviderCatalog(new OnnxRuntimeEnvironment(NullLoggerFactory.Instance), new RecordingLogger<ExecutionProviderCatalog>());

        var why = catalog.WhyNotPreferred([ExecutionProviderCatalog.Cpu, ExecutionProviderCatalog.Cuda], ExecutionProviderCatalog.Cpu);

        Assert.Null(why);
    }

    [Fact]
    public void WhyNotPreferred_CudaFailedBeforeCpu_NamesCudaWithItsReason()
    {
        var catalog = new ExecutionProviderCatalog(new OnnxRuntimeEnvironment(NullLoggerFactory.Instance), new RecordingLogger<ExecutionProviderCatalog>());
        using var options = new SessionOptions();
        var preference = new[] { ExecutionProviderCatalog.Cuda, ExecutionProviderCatalog.Cpu };
        var provider = catalog.Configure(options, preference, "m");

        var why = catalog.WhyNotPreferred(preference, provider);

        // No CUDA: "cuda unavailable: <reason>". CUDA present: it is the first choice, nothing to explain.
        var expected = catalog.Failures.TryGetValue(ExecutionProviderCatalog.Cuda, out var reason) ? "cuda unavailable: " + reason : null;
        Assert.Equal(expected, why);
    }
}

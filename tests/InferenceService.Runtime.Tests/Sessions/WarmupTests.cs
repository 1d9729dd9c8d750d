using System.Text.Json;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Sessions;
using InferenceService.Runtime.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Runtime.Tests.Sessions;

public sealed class WarmupTests : IDisposable
{
    private readonly TempDirectory _profiles = new();

    public void Dispose() => _profiles.Dispose();

    [Fact]
    public async Task RunAsync_ThreeRunsOnTwoInstances_RunsTheModelSixTimes()
    {
        using var folder = new ModelFolder(TinyGraphs.AddOne());
        var config = TinyConfigs.AddOne(instances: 2) with { Warmup = new WarmupConfig { Runs = 3 } };
        var sessions = ProfiledSessions(folder, 2);
        using var pool = new SessionPool(sessions, ExecutionProviderCatalog.Cpu, 1);

        await Warmup.RunAsync(config, pool, default);

        Assert.Equal(6, sessions.Sum(CountRuns));
    }

    [Fact]
    public async Task RunAsync_NoWarmupSection_RunsOncePerInstance()
    {
        using var folder = new ModelFolder(TinyGraphs.AddOne());
        var sessions = ProfiledSessions(folder, 2);
        using var pool = new SessionPool(sessions, ExecutionProviderCatalog.Cpu, 1);

        await Warmup.RunAsync(TinyConfigs.AddOne(instances: 2), pool, default);

        Assert.Equal(2, sessions.Sum(CountRuns));
    }

    [Fact]
    public async Task RunAsync_WarmupDims_AreUsedForVariableDims()
    {
        using var folder = new ModelFolder(TinyGraphs.ReshapeToTwoByTwo(-1));
        var config = ReshapeConfig(maxBatchSize: 0, -1) with { Warmup = new WarmupConfig { Dims = new Dictionary<string, long[]> { ["x"] = [4] } } };
        using var pool = folder.Open(config);

        // Reshape to [2, 2] succeeds only on 4 elements: the configured dims, not the default 1.
        await Warmup.RunAsync(config, pool, default);
    }

    [Fact]
    public async Task RunAsync_BatchingModel_SendsTheWarmupBatchSize()
    {
        using var folder = new ModelFolder(TinyGraphs.ReshapeToTwoByTwo(-1, 2));
        var config = ReshapeConfig(maxBatchSize: 4, 2) with { Warmup = new WarmupConfig { BatchSize = 2 } };
        using var pool = folder.Open(config);

        // Reshape to [2, 2] succeeds only on a batch of 2 rows of 2.
        await Warmup.RunAsync(config, pool, default);
    }

    [Fact]
    public async Task RunAsync_ZeroInputsTheGraphRefuses_ThrowsTheEnginesReason()
    {
        using var folder = new ModelFolder(TinyGraphs.ReshapeToTwoByTwo(-1));
        var config = ReshapeConfig(maxBatchSize: 0, -1);
        using var pool = folder.Open(config);

        // Without warmup dims the variable dim is 1, and one element cannot be reshaped to [2, 2]: the load must fail.
        var error = await Assert.ThrowsAsync<InferenceException>(() => Warmup.RunAsync(config, pool, default));

        Assert.Contains("reshape", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RunAsync_BytesInput_RunsOnEmptyStrings()
    {
        using var folder = new ModelFolder(TinyGraphs.Identity(TensorDataType.Bytes));
        var config = TinyConfigs.Identity("BYTES");
        using var pool = folder.Open(config);

        await Warmup.RunAsync(config, pool, default);
    }

    private static ModelConfig ReshapeConfig(int maxBatchSize, params long[] dims) => new()
    {
        MaxBatchSize = maxBatchSize,
        Inputs = [new TensorConfig { Name = "x", Datatype = "FP32", Dims = dims }],
        Outputs = [new TensorConfig { Name = "y", Datatype = "FP32", Dims = maxBatchSize > 0 ? [2] : [2, 2] }],
        IntraOpThreads = 1,
        ExecutionProviders = [ExecutionProviderCatalog.Cpu],
    };

    /// <summary>ONNX Runtime's profiler writes one <c>model_run</c> event per Run: the only count a session keeps.</summary>
    private static int CountRuns(InferenceSession session)
    {
        var file = session.EndProfiling();
        using var profile = JsonDocument.Parse(File.ReadAllBytes(file));
        return profile.RootElement.EnumerateArray().Count(e => e.GetProperty("name").GetString() == "model_run");
    }

    private InferenceSession[] ProfiledSessions(ModelFolder folder, int count) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            using var options = new SessionOptions { ProfileOutputPathPrefix = Path.Combine(_profiles.Path, $"session{i}"), EnableProfiling = true, IntraOpNumThreads = 1 };
            return new InferenceSession(folder.ModelPath, options);
        })];
}

using InferenceService.Runtime.Resilience;
using Microsoft.Extensions.Logging.Abstractions;

namespace InferenceService.Runtime.Tests.Resilience;

public sealed class LoadRetryTests
{
    private static readonly ExecutionPolicy Policy = new() { LoadRetryAttempts = 3, LoadRetryDelay = TimeSpan.Zero };

    [Fact]
    public async Task Execute_TransientIOExceptions_RetriesUntilTheLoadSucceeds()
    {
        var pipeline = LoadRetry.Create(Policy, TimeProvider.System, NullLogger.Instance);
        var calls = 0;

        var result = await pipeline.ExecuteAsync(_ => ++calls < 3 ? throw new IOException("file in use") : ValueTask.FromResult("loaded"), CancellationToken.None);

        Assert.Equal("loaded", result);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Execute_MissingFile_FailsWithoutRetry()
    {
        var pipeline = LoadRetry.Create(Policy, TimeProvider.System, NullLogger.Instance);
        var calls = 0;

        await Assert.ThrowsAsync<FileNotFoundException>(async () =>
            await pipeline.ExecuteAsync<string>(_ => { calls++; throw new FileNotFoundException("model.onnx not found"); }, CancellationToken.None));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Execute_TransientErrorPersists_FailsAfterTheConfiguredAttempts()
    {
        var pipeline = LoadRetry.Create(Policy, TimeProvider.System, NullLogger.Instance);
        var calls = 0;

        await Assert.ThrowsAsync<IOException>(async () =>
            await pipeline.ExecuteAsync<string>(_ => { calls++; throw new IOException("share offline"); }, CancellationToken.None));

        Assert.Equal(4, calls);
    }
}

using System.Text.Json;
using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using InferenceService.Runtime.Sessions;
using InferenceService.Runtime.Tests.Batching;
using Microsoft.Extensions.Logging.Abstractions;

namespace InferenceService.Runtime.Tests.Pipelines;

/// <summary>
/// A text request's texts go to the batcher one by one, together: each lands in the batch of its own length bucket,
/// the answers come back in the request's order equal to each text embedded alone, and one failing text fails the
/// request with its own error without waiting for the rest.
/// </summary>
public sealed class TextEmbedderBatchingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly string Vocabulary = Path.Combine(RepoModels.Dir("minilm"), "1");

    [Fact]
    public async Task EmbedAsync_TextsOfTwoBucketsOnIdleModel_OneBatchPerBucketAndEachEqualsItsEmbeddingAlone()
    {
        using var executor = new FakeTextExecutor();
        var (gateway, batcher) = Serve(executor);
        await using var _ = batcher;
        var watcher = new LoopWatcher(batcher);
        string[] texts = ["hello", Words(40), "hello world", Words(30)];
        using var ticket = gateway.AdmitPipeline<TextEmbedder>("text", PipelineKinds.TextEmbedder, out var embedder);

        // Reads paused until every text is queued: only an inline run (a text sent alone) could reach the executor first.
        watcher.PauseReads();
        var embedding = embedder.EmbedAsync(gateway, ticket, texts, 256, CancellationToken.None);
        Assert.Empty(executor.Calls);
        watcher.ResumeReads();
        var together = await embedding.WaitAsync(Bound);

        Assert.Equal([(2L, 4L), (2L, 40L)], executor.Calls.Select(c => (c.Rows, c.Inputs[0].Shape[1])));
        Assert.Equal([3, 40, 4, 30], together.Select(e => e.Tokens));
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = Assert.Single(await embedder.EmbedAsync(gateway, ticket, [texts[i]], 256, CancellationToken.None));
            Assert.Equal(alone.Vector, together[i].Vector);
        }
    }

    [Fact]
    public async Task EmbedAsync_OneTextFails_FailsWithItsOwnErrorWithoutWaitingForTheOthers()
    {
        using var executor = new FakeTextExecutor { FailWhen = inputs => inputs[0].Shape[1] == 3 };
        var (gateway, batcher) = Serve(executor);
        await using var _ = batcher;
        using var ticket = gateway.AdmitPipeline<TextEmbedder>("text", PipelineKinds.TextEmbedder, out var embedder);
        executor.Hold();

        // "hello" (3 tokens) runs first, alone in its bucket, and fails; the other two then wait in a held run.
        var embedding = embedder.EmbedAsync(gateway, ticket, ["hello", Words(40), Words(30)], 256, CancellationToken.None);
        await executor.WaitForCallsAsync(1);
        executor.Release();
        var error = await Assert.ThrowsAsync<InferenceException>(() => embedding.WaitAsync(TimeSpan.FromSeconds(5)));
        executor.Open();

        Assert.Equal((InferenceErrorKind.Backend, "fake engine error"), (error.Kind, error.Message));
    }

    [Fact]
    public async Task EmbedAsync_RealMiniLmMixedLengths_EachEqualsItsEmbeddingAloneWithinTolerance()
    {
        var config = RepoModels.Config("minilm") with { ExecutionProviders = ["cpu"] };
        var factory = new SessionPoolFactory(new ExecutionProviderCatalog(new OnnxRuntimeEnvironment(NullLoggerFactory.Instance), NullLogger<ExecutionProviderCatalog>.Instance));
        using var pool = factory.Create("minilm", RepoModels.OnnxPath("minilm"), config);
        await using var runner = ModelRunnerFactory.Create("minilm", config, pool, TimeProvider.System, NullLoggerFactory.Instance);
        var gateway = RecordingRunner.ServeWith("minilm", config, runner, Vocabulary);
        string[] texts =
        [
            "A man is eating food.",
            string.Join(' ', Enumerable.Repeat("the quick brown fox jumps over the lazy dog", 12)),
            "This is a test.",
            "Several sentences of rather different lengths go to the batcher one by one, and each must come back as if alone.",
            "Short.",
        ];
        using var ticket = gateway.AdmitPipeline<TextEmbedder>("minilm", PipelineKinds.TextEmbedder, out var embedder);

        // 64 tokens at most: the long text is truncated, and says so, in the request as alone.
        var together = await embedder.EmbedAsync(gateway, ticket, texts, 64, CancellationToken.None);

        Assert.Equal(texts.Length, together.Count);
        Assert.True(together[1].Truncated);
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = Assert.Single(await embedder.EmbedAsync(gateway, ticket, [texts[i]], 64, CancellationToken.None));
            Assert.Equal((alone.Tokens, alone.Truncated), (together[i].Tokens, together[i].Truncated));
            var difference = alone.Vector.Zip(together[i].Vector, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(difference <= 1e-5f, $"text {i}: differs by {difference} from its embedding alone");
        }
    }

    /// <summary>The fake text model (2 hidden values per token) behind a batcher with length buckets 16 and 64, with MiniLM's vocabulary.</summary>
    private static (InferenceGateway Gateway, DynamicBatcher Batcher) Serve(FakeTextExecutor executor)
    {
        var batching = new DynamicBatchingConfig { LengthBuckets = [16, 64] };
        var batcher = TextModel.Batcher(executor, TimeProvider.System, batching);
        var config = TextModel.Config(batching) with
        {
            Pipeline = JsonDocument.Parse("""{ "kind": "text-embedder", "vocab": "vocab.txt" }""").RootElement,
        };
        return (RecordingRunner.ServeWith("text", config, batcher, Vocabulary), batcher);
    }

    /// <summary>A text of exactly <paramref name="tokens"/> tokens with [CLS] and [SEP].</summary>
    private static string Words(int tokens) => string.Join(' ', Enumerable.Repeat("hello", tokens - 2));
}

using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;
using SkiaSharp;

namespace InferenceService.Runtime.Tests.Pipelines;

/// <summary>What the pipelines send to a model's runner (where the batcher sits): shapes, batch sizes, requested outputs.</summary>
public sealed class ModelCallContractTests
{
    private static readonly ModelConfig ResNet = new()
    {
        MaxBatchSize = 2,
        Inputs = [new TensorConfig { Name = "Input247", Datatype = "FP32", Dims = [3, 224, 224] }],
        Outputs = [new TensorConfig { Name = "Pooling395_Output_0", Datatype = "FP32", Dims = [512, 1, 1] }],
        Pipeline = System.Text.Json.JsonDocument.Parse("""{ "kind": "image-embedder", "image": { "width": 224, "height": 224, "channels": 3 } }""").RootElement,
    };

    [Fact]
    public async Task ImageEmbedder_MoreImagesThanMaxBatchSize_SendsRequestsOfAtMostMaxBatchSize()
    {
        var (gateway, runner) = RecordingRunner.Serve("resnet18", ResNet, r =>
        {
            var batch = r.Inputs[0].Shape[0];
            var features = Enumerable.Range(0, (int)batch * 512).Select(i => (float)(i % 512 == 0 ? 3 : i % 512 == 1 ? 4 : 0)).ToArray();
            return [Tensor.Create("Pooling395_Output_0", TensorDataType.Fp32, [batch, 512, 1, 1], features)];
        });
        var png = Png();

        using var ticket = gateway.AdmitPipeline<ImageEmbedder>("resnet18", PipelineKinds.ImageEmbedder, out var embedder);
        var embeddings = await embedder.EmbedAsync(gateway, ticket, [png, png, png], 1_000_000, CancellationToken.None);

        Assert.Equal([[2L, 3, 224, 224], [1L, 3, 224, 224]], runner.Requests.Select(r => r.Inputs[0].Shape));
        Assert.All(runner.Requests, r => Assert.Equal(["Pooling395_Output_0"], r.Outputs!));
        Assert.Equal(3, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal((0.6f, 0.8f), (e[0], e[1])));
    }

    [Theory]
    [InlineData(8, new long[] { 1, 1 })]
    [InlineData(0, new long[] { 1 })]
    public async Task Recommender_ForUser_FeedsZeroItemAndRequestsOnlyUserScores(int maxBatchSize, long[] expectedShape)
    {
        var config = new ModelConfig
        {
            MaxBatchSize = maxBatchSize,
            Inputs = [new TensorConfig { Name = "user_ids", Datatype = "INT64", Dims = [1] }, new TensorConfig { Name = "item_ids", Datatype = "INT64", Dims = [1] }],
            Outputs = [new TensorConfig { Name = "user_scores", Datatype = "FP32", Dims = [3] }, new TensorConfig { Name = "item_scores", Datatype = "FP32", Dims = [3] }],
            Pipeline = System.Text.Json.JsonDocument.Parse("""{ "kind": "recommender", "num_users": 5, "num_items": 3, "popular_items": [2, 1, 0] }""").RootElement,
        };
        var (gateway, runner) = RecordingRunner.Serve("shop", config, r =>
            [Tensor.Create("user_scores", TensorDataType.Fp32, maxBatchSize > 0 ? [1, 3] : [3], new[] { 0.1f, 0.7f, 0.4f })]);

        using var ticket = gateway.AdmitPipeline<Recommender>("shop", PipelineKinds.Recommender, out var recommender);
        var result = await recommender.ForUserAsync(gateway, ticket, 4, 2, new HashSet<int>(), popularForUnknown: false, CancellationToken.None);

        var request = Assert.Single(runner.Requests);
        Assert.Equal(["user_scores"], request.Outputs!);
        Assert.Equal(expectedShape, request.Inputs[0].Shape);
        Assert.Equal([4L], request.Inputs[0].As<long>());
        Assert.Equal([0L], request.Inputs[1].As<long>());
        Assert.Equal([1, 2], result.Items.Select(i => i.Index));
    }

    [Fact]
    public async Task TextEmbedder_SeveralTextsWithDynamicBatching_SendsEachAsItsOwnRowInOrderAsOneGroup()
    {
        var (gateway, runner) = RecordingRunner.Serve("minilm", RepoModels.Config("minilm"), HiddenStates, Path.Combine(RepoModels.Dir("minilm"), "1"));
        var long200 = string.Join(' ', Enumerable.Repeat("hello", 198));

        using var ticket = gateway.AdmitPipeline<TextEmbedder>("minilm", PipelineKinds.TextEmbedder, out var embedder);
        var embeddings = await embedder.EmbedAsync(gateway, ticket, [long200, "hello", long200, "hello world"], 256, CancellationToken.None);

        // Each text padded to nothing but itself: the batcher, not the request, decides which texts share a batch.
        Assert.Equal([[1L, 200], [1L, 3], [1L, 200], [1L, 4]], runner.Requests.Select(r => r.Inputs[0].Shape));
        Assert.Single(runner.Requests.Select(r => r.Group).Distinct());
        Assert.NotNull(runner.Requests[0].Group);
        Assert.Equal([200, 3, 200, 4], embeddings.Select(e => e.Tokens));
    }

    [Fact]
    public async Task TextEmbedder_OneText_SendsItWithoutAGroup()
    {
        var (gateway, runner) = RecordingRunner.Serve("minilm", RepoModels.Config("minilm"), HiddenStates, Path.Combine(RepoModels.Dir("minilm"), "1"));

        using var ticket = gateway.AdmitPipeline<TextEmbedder>("minilm", PipelineKinds.TextEmbedder, out var embedder);
        await embedder.EmbedAsync(gateway, ticket, ["hello world"], 256, CancellationToken.None);

        var request = Assert.Single(runner.Requests);
        Assert.Null(request.Group);
    }

    [Fact]
    public async Task TextEmbedder_SeveralTextsWithoutDynamicBatching_SendsConsecutiveTextsOfAtMostMaxBatchSizeTogether()
    {
        var config = RepoModels.Config("minilm") with { MaxBatchSize = 2, DynamicBatching = null };
        var (gateway, runner) = RecordingRunner.Serve("minilm", config, HiddenStates, Path.Combine(RepoModels.Dir("minilm"), "1"));

        using var ticket = gateway.AdmitPipeline<TextEmbedder>("minilm", PipelineKinds.TextEmbedder, out var embedder);
        var embeddings = await embedder.EmbedAsync(gateway, ticket, ["hello", "hello world", "hello"], 256, CancellationToken.None);

        // Nothing would batch single texts, so the request's own texts go together, padded to their longest.
        Assert.Equal([[2L, 4], [1L, 3]], runner.Requests.Select(r => r.Inputs[0].Shape));
        Assert.Equal([3, 4, 3], embeddings.Select(e => e.Tokens));
    }

    [Fact]
    public void TextEmbedder_MaxBatchTokensBelowLongestText_FailsToLoadNamingBothNumbers()
    {
        var error = Assert.Throws<PipelineException>(() => RecordingRunner.Serve("minilm", MiniLmWithBudget(256), HiddenStates, Path.Combine(RepoModels.Dir("minilm"), "1")));

        Assert.Contains($"dynamic_batching.max_batch_tokens 256 is below {TextTokenizer.MaxTokensLimit}", error.Message, StringComparison.Ordinal);
    }

    private static ModelConfig MiniLmWithBudget(long budget)
    {
        var config = RepoModels.Config("minilm");
        return config with { DynamicBatching = config.DynamicBatching! with { MaxBatchTokens = budget } };
    }

    /// <summary>MiniLM's last_hidden_state for a request: ones, [rows, length, 384].</summary>
    private static IReadOnlyList<Tensor> HiddenStates(InferenceRequest request)
    {
        var shape = request.Inputs[0].Shape;
        var values = new float[shape[0] * shape[1] * 384];
        Array.Fill(values, 1f);
        return [Tensor.Create("last_hidden_state", TensorDataType.Fp32, [shape[0], shape[1], 384], values)];
    }

    private static byte[] Png()
    {
        using var bitmap = new SKBitmap(64, 48);
        bitmap.Erase(SKColors.Teal);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}

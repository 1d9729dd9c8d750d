using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// Sentence embeddings from a transformer encoder (MiniLM, or any model with tokenizer files): tokenise (with the
/// query or passage prefix the model asks for), send each text as its own request (the batcher pads it on the right to
/// its batch's longest, mask 0 on padding, which pooling ignores), pool the hidden states (<see cref="TextPooling"/>:
/// mean over the mask, the first token, or the last real token) and, unless the model says otherwise, L2-normalise.
/// </summary>
public sealed class TextEmbedder : ITaskPipeline
{
    public const string ModelName = "minilm";

    private const string IdsInput = "input_ids";
    private const string MaskInput = "attention_mask";
    private const string TypeIdsInput = "token_type_ids";

    private readonly TextTokenizer _tokenizer;
    private readonly TextEmbedderConfig _config;
    private readonly string _outputName;
    private readonly bool _takesTypeIds;

    private TextEmbedder(TextTokenizer tokenizer, TextEmbedderConfig config, TextPooling pooling, string outputName, int width, bool takesTypeIds)
    {
        _tokenizer = tokenizer;
        _config = config;
        Pooling = pooling;
        _outputName = outputName;
        Width = width;
        _takesTypeIds = takesTypeIds;
    }

    public string Kind => PipelineKinds.TextEmbedder;

    /// <summary>Values per embedding (the hidden size).</summary>
    public int Width { get; }

    /// <summary>The version's tokenizer, for callers that check or send token ids themselves.</summary>
    public TextTokenizer Tokenizer => _tokenizer;

    public TextPooling Pooling { get; }

    /// <summary>Whether embeddings are L2-normalised unless a request says otherwise (<c>pipeline.normalize</c>).</summary>
    public bool Normalize => _config.Normalize;

    /// <summary>The most tokens the model takes: <c>pipeline.max_tokens</c>, else <see cref="TextTokenizer.MaxTokensLimit"/>.</summary>
    public int MaxTokens => _config.MaxTokens ?? TextTokenizer.MaxTokensLimit;

    /// <summary>The model's prefix for <paramref name="type"/>, or null (<c>pipeline.query_prefix</c> / <c>passage_prefix</c>).</summary>
    public string? Prefix(TextInputType type) => type switch
    {
        TextInputType.Query => _config.QueryPrefix,
        TextInputType.Passage => _config.PassagePrefix,
        _ => null,
    };

    /// <summary>A request's token limit (Tasks:MaxTokens, a head's max_tokens) held to what the model takes.</summary>
    public int TokenLimit(int requested) => Math.Min(requested, MaxTokens);

    /// <summary>Embeddings of <paramref name="texts"/> as the model's pipeline says (pooling, normalize), each cut to its first <paramref name="maxTokens"/> tokens.</summary>
    public Task<IReadOnlyList<TextEmbedding>> EmbedAsync(InferenceGateway gateway, InferenceTicket ticket, IReadOnlyList<string> texts, int maxTokens, CancellationToken cancellationToken) =>
        EmbedAsync(gateway, ticket, texts, maxTokens, TextInputType.None, cancellationToken);

    /// <summary>As <see cref="EmbedAsync(InferenceGateway, InferenceTicket, IReadOnlyList{string}, int, CancellationToken)"/>, each text prefixed as <paramref name="type"/> asks.</summary>
    public Task<IReadOnlyList<TextEmbedding>> EmbedAsync(InferenceGateway gateway, InferenceTicket ticket, IReadOnlyList<string> texts, int maxTokens, TextInputType type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return EmbedAsync(gateway, ticket, Encode(ticket, texts, TokenLimit(maxTokens), TruncationDirection.Right, type), Normalize, cancellationToken);
    }

    /// <summary>Tokenises <paramref name="texts"/> (the request's pre-processing span), each cut at <paramref name="direction"/> to <paramref name="maxTokens"/>.</summary>
    public IReadOnlyList<EncodedText> Encode(InferenceTicket ticket, IReadOnlyList<string> texts, int maxTokens, TruncationDirection direction) =>
        Encode(ticket, texts, maxTokens, direction, TextInputType.None);

    /// <summary>As <see cref="Encode(InferenceTicket, IReadOnlyList{string}, int, TruncationDirection)"/>, each text after the prefix <paramref name="type"/> asks for.</summary>
    public IReadOnlyList<EncodedText> Encode(InferenceTicket ticket, IReadOnlyList<string> texts, int maxTokens, TruncationDirection direction, TextInputType type)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(texts);
        var prefix = Prefix(type);
        using (InferenceTelemetry.StartStage(InferenceTelemetry.PreprocessSpan, ticket.Model.Name))
        {
            return texts.Select(t => _tokenizer.Encode(prefix is null ? t : prefix + t, maxTokens, direction)).ToList();
        }
    }

    /// <summary>
    /// Embeddings of already encoded texts, in order. With a dynamic batcher each text is its own request, padded to its
    /// own length only, all submitted together (a <see cref="SubmissionGroup"/>): the batcher then puts each text in a
    /// batch of its own length, with other requests' texts, so texts of 10 and 250 tokens no longer cost 2 × 250.
    /// Without one (nothing would batch them), consecutive texts go together, at most max_batch_size a request, each
    /// request padded to its longest. The first text to fail (in the request's order) fails the request with its own
    /// error, and the texts still waiting are cancelled. Pooled as the model's pipeline says, and L2-normalised when
    /// <paramref name="normalize"/>.
    /// </summary>
    public async Task<IReadOnlyList<TextEmbedding>> EmbedAsync(InferenceGateway gateway, InferenceTicket ticket, IReadOnlyList<EncodedText> encoded, bool normalize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Any(e => e.Ids.Count == 0))
        {
            throw PipelineException.BadRequest("An input has no tokens; pooling nothing gives no embedding.");
        }

        var config = ticket.Model.Config;
        var runs = encoded.Chunk(config.DynamicBatching is null ? PipelineTensors.MaxItems(config) : 1).ToArray();
        if (runs.Length <= 1)
        {
            return runs.Length == 0 ? [] : await EmbedRunAsync(gateway, ticket, runs[0], normalize, group: null, cancellationToken).ConfigureAwait(false);
        }

        var answers = new Task<TextEmbedding[]>?[runs.Length];
        using var rest = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using (var group = new SubmissionGroup())
        {
            for (var i = 0; i < runs.Length; i++)
            {
                answers[i] = EmbedRunOfManyAsync(gateway, ticket, runs[i], normalize, group, rest);
                if (rest.IsCancellationRequested)
                {
                    // Refused at once (e.g. the queue is full) or cancelled: the request has failed, so the rest are not submitted.
                    break;
                }
            }
        }

        // Wait for all without throwing: which error the request gets is chosen below, not by WhenAll.
        var submitted = answers.OfType<Task<TextEmbedding[]>>().ToArray();
        await ((Task)Task.WhenAll(submitted)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // The caller's cancellation, else the first failure in the request's order (as when the texts ran in order),
        // else a cancellation from further in.
        cancellationToken.ThrowIfCancellationRequested();
        if ((Array.Find(submitted, t => t.IsFaulted) ?? Array.Find(submitted, t => t.IsCanceled)) is { } failed)
        {
            await failed.ConfigureAwait(false);
        }

        return [.. submitted.SelectMany(t => t.Result)];
    }

    /// <summary>One request of several: its failure cancels the others still running (their request has failed) before it is thrown.</summary>
    private async Task<TextEmbedding[]> EmbedRunOfManyAsync(InferenceGateway gateway, InferenceTicket ticket, EncodedText[] run, bool normalize, SubmissionGroup group, CancellationTokenSource rest)
    {
        try
        {
            return await EmbedRunAsync(gateway, ticket, run, normalize, group, rest.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await rest.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Consecutive texts as one request, padded on the right to the longest of them.</summary>
    private async Task<TextEmbedding[]> EmbedRunAsync(InferenceGateway gateway, InferenceTicket ticket, EncodedText[] run, bool normalize, SubmissionGroup? group, CancellationToken cancellationToken)
    {
        var model = ticket.Model;
        var length = run.Max(e => e.Ids.Count);
        var ids = new long[run.Length * length];
        var mask = new long[run.Length * length];
        for (var i = 0; i < run.Length; i++)
        {
            for (var t = 0; t < run[i].Ids.Count; t++)
            {
                ids[(i * length) + t] = run[i].Ids[t];
                mask[(i * length) + t] = 1;
            }
        }

        var shape = PipelineTensors.Shape(model.Config, run.Length, length);
        List<Tensor> inputs =
        [
            Tensor.Create(IdsInput, TensorDataType.Int64, shape, ids),
            Tensor.Create(MaskInput, TensorDataType.Int64, shape, mask),
        ];
        if (_takesTypeIds)
        {
            inputs.Add(Tensor.Create(TypeIdsInput, TensorDataType.Int64, shape, new long[ids.Length]));
        }

        var outputs = await gateway.SubmitAsync(ticket, new(inputs, [_outputName]) { Group = group }, cancellationToken).ConfigureAwait(false);
        using var pool = InferenceTelemetry.StartStage(InferenceTelemetry.PostprocessSpan, model.Name);
        var states = PipelineTensors.Rows(outputs[0], run.Length * length, Width, model.Name);
        var result = new TextEmbedding[run.Length];
        for (var i = 0; i < run.Length; i++)
        {
            var vector = Pool(states.AsSpan(i * length * Width, length * Width), run[i].Ids.Count);
            if (normalize)
            {
                VectorMath.L2Normalize(vector);
            }

            result[i] = new TextEmbedding(vector, run[i].Ids.Count, run[i].Truncated);
        }

        return result;
    }

    internal static TextEmbedder Build(ModelVersion model)
    {
        var config = TaskPipelines.ReadConfig<TextEmbedderConfig>(model);
        var names = model.Config.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        if (!names.Contains(IdsInput) || !names.Contains(MaskInput) || names.Except([IdsInput, MaskInput, TypeIdsInput]).Any())
        {
            throw TaskPipelines.Misconfigured(model, $"a text embedder takes inputs {IdsInput} and {MaskInput} (and optionally {TypeIdsInput}), but the model's are {string.Join(", ", names)}");
        }

        var output = model.Config.Outputs[0];
        if (output.Dims.Count == 0 || output.Dims[^1] < 1)
        {
            throw TaskPipelines.Misconfigured(model, $"output '{output.Name}' must end with the fixed hidden size, got {TaskPipelines.Dims(output.Dims)}");
        }

        var pooling = config.Pooling switch
        {
            "mean" => TextPooling.Mean,
            "cls" => TextPooling.Cls,
            "last-token" => TextPooling.LastToken,
            _ => throw TaskPipelines.Misconfigured(model, $"pipeline.pooling must be mean, cls or last-token; got '{config.Pooling}'"),
        };
        if (config.MaxTokens is < 2)
        {
            throw TaskPipelines.Misconfigured(model, $"pipeline.max_tokens must be at least 2, got {config.MaxTokens}");
        }

        var longest = Math.Min(config.MaxTokens ?? TextTokenizer.MaxTokensLimit, TextTokenizer.MaxTokensLimit);
        if (model.Config.DynamicBatching?.MaxBatchTokens is { } budget && budget < longest)
        {
            // TEI's rule (max_batch_tokens >= max_input_length): every text must be able to run, alone if need be.
            throw TaskPipelines.Misconfigured(model, $"dynamic_batching.max_batch_tokens {budget} is below {longest}, the most tokens a text may have (Tasks:MaxTokens, pipeline.max_tokens), so a long text could never run");
        }

        var tokenizer = TextTokenizerFiles.Load(model, config);
        return new TextEmbedder(tokenizer, config, pooling, output.Name, (int)output.Dims[^1], names.Contains(TypeIdsInput));
    }

    /// <summary>One vector from the first <paramref name="tokens"/> rows (exactly the positions whose mask is 1).</summary>
    private float[] Pool(ReadOnlySpan<float> states, int tokens) => Pooling switch
    {
        TextPooling.Cls => states[..Width].ToArray(),
        TextPooling.LastToken => states.Slice((tokens - 1) * Width, Width).ToArray(),
        _ => MeanPool(states, tokens, Width),
    };

    /// <summary>The mean of the first <paramref name="tokens"/> rows.</summary>
    private static float[] MeanPool(ReadOnlySpan<float> states, int tokens, int hidden)
    {
        var sum = new double[hidden];
        for (var t = 0; t < tokens; t++)
        {
            var row = states.Slice(t * hidden, hidden);
            for (var h = 0; h < hidden; h++)
            {
                sum[h] += row[h];
            }
        }

        return sum.Select(s => (float)(s / tokens)).ToArray();
    }
}

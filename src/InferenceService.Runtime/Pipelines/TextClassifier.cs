using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Pipelines;

/// <summary>A classifier head over sentence embeddings (the spam classifier): embed with its embedding model, run the head, softmax.</summary>
public sealed class TextClassifier : ITaskPipeline
{
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly int _width;

    private TextClassifier(TextClassifierConfig config, IReadOnlyList<string> labels, string inputName, string outputName, int width)
    {
        Config = config;
        Labels = labels;
        _inputName = inputName;
        _outputName = outputName;
        _width = width;
    }

    public string Kind => PipelineKinds.TextClassifier;

    public TextClassifierConfig Config { get; }

    public IReadOnlyList<string> Labels { get; }

    /// <summary>Embeds <paramref name="text"/> with the head's embedding model (at most the head's max_tokens), then classifies it.</summary>
    public async Task<TextClassification> ClassifyAsync(InferenceGateway gateway, InferenceTicket head, string text, int maxTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(head);
        TextEmbedding embedding;
        using (var embedderTicket = HeadBackbone.Admit(gateway, head.Model, Config, out var embedder))
        {
            embedding = (await embedder.EmbedAsync(gateway, embedderTicket, [text], Math.Min(maxTokens, Config.MaxTokens), cancellationToken).ConfigureAwait(false))[0];
        }

        if (embedding.Vector.Length != _width)
        {
            // The embedding model was swapped for one of another width after this head loaded.
            throw TaskPipelines.Misconfigured(head.Model, $"'{Config.EmbeddingModel}' now gives {embedding.Vector.Length} values but input '{_inputName}' takes {_width}");
        }

        var shape = PipelineTensors.Shape(head.Model.Config, 1, _width);
        var outputs = await gateway.SubmitAsync(head, new([Tensor.Create(_inputName, TensorDataType.Fp32, shape, embedding.Vector)], [_outputName]), cancellationToken).ConfigureAwait(false);
        using var rank = InferenceTelemetry.StartStage(InferenceTelemetry.PostprocessSpan, head.Model.Name);
        var probabilities = VectorMath.Softmax(PipelineTensors.Rows(outputs[0], 1, Labels.Count, head.Model.Name));
        var ranked = VectorMath.TopK(probabilities, Labels.Count).Select(s => new LabelScore(Labels[s.Index], s.Index, s.Score)).ToList();
        return new TextClassification(ranked[0], ranked, embedding.Tokens, embedding.Truncated);
    }

    internal static TextClassifier Build(ModelVersion model, Func<string, ModelEntry?> repositoryModel)
    {
        var config = TaskPipelines.ReadConfig<TextClassifierConfig>(model);
        if (config.MaxTokens is < 2 or > TextTokenizer.MaxTokensLimit)
        {
            throw TaskPipelines.Misconfigured(model, $"pipeline.max_tokens must be 2 to {TextTokenizer.MaxTokensLimit}, got {config.MaxTokens}");
        }

        var labels = TaskPipelines.ReadLines(model, config.Labels, "labels");
        var input = model.Config.Inputs[0];
        var output = TaskPipelines.LogitsOutput(model.Config);
        if (input.Dims.Count != 1 || input.Dims[0] < 1)
        {
            throw TaskPipelines.Misconfigured(model, $"input '{input.Name}' must have one fixed dim (the embedding size), got {TaskPipelines.Dims(input.Dims)}");
        }

        if (output.Dims.Count == 0 || output.Dims[^1] != labels.Count)
        {
            throw TaskPipelines.Misconfigured(model, $"output '{output.Name}' has dims {TaskPipelines.Dims(output.Dims)} but {config.Labels} has {labels.Count} labels");
        }

        CheckEmbeddingModel(model, config.EmbeddingModel, input, HeadBackbone.ConfigAtLoad(model, config, repositoryModel(config.EmbeddingModel)));
        return new TextClassifier(config, labels, input.Name, output.Name, (int)input.Dims[0]);
    }

    private static void CheckEmbeddingModel(ModelVersion model, string name, TensorConfig input, ModelConfig? embedder)
    {
        if (embedder is null || TaskPipelines.KindOf(embedder) != PipelineKinds.TextEmbedder)
        {
            var what = embedder is null ? "is not a model of the repository" : $"has no pipeline of kind '{PipelineKinds.TextEmbedder}'";
            throw TaskPipelines.Misconfigured(model, $"pipeline.embedding_model '{name}' {what}");
        }

        var hidden = embedder.Outputs.Count > 0 && embedder.Outputs[0].Dims.Count > 0 ? embedder.Outputs[0].Dims[^1] : -1;
        if (hidden != input.Dims[0])
        {
            throw TaskPipelines.Misconfigured(model, $"input '{input.Name}' takes {input.Dims[0]} values but embedding model '{name}' gives {hidden}");
        }
    }
}

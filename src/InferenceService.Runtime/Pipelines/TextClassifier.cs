using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Pipelines;

/// <summary>A classifier head over MiniLM sentence embeddings (the spam classifier): embed, run the head, softmax.</summary>
public sealed class TextClassifier
{
    private TextClassifier(TextClassifierConfig config, IReadOnlyList<string> labels, string inputName, string outputName, int width)
    {
        Config = config;
        Labels = labels;
        InputName = inputName;
        OutputName = outputName;
        Width = width;
    }

    public TextClassifierConfig Config { get; }

    public IReadOnlyList<string> Labels { get; }

    private string InputName { get; }

    private string OutputName { get; }

    private int Width { get; }

    public static TextClassifier For(ModelVersion model) => TaskModel.Get(model, Load);

    /// <summary>Embeds <paramref name="text"/> with <paramref name="embedder"/> (at most the head's max_tokens), then classifies it.</summary>
    public async Task<TextClassification> ClassifyAsync(ModelVersion head, ModelVersion embedder, string text, int maxTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(head);
        var embedding = (await TextEmbedder.EmbedAsync(embedder, [text], Math.Min(maxTokens, Config.MaxTokens), cancellationToken).ConfigureAwait(false))[0];
        if (embedding.Vector.Length != Width)
        {
            throw TaskModel.Misconfigured(head, $"'{Config.EmbeddingModel}' gives {embedding.Vector.Length} values but input '{InputName}' takes {Width}");
        }

        var shape = ModelCall.Shape(head.Config, 1, Width);
        var outputs = await ModelCall.RunAsync(head, [Tensor.Create(InputName, TensorDataType.Fp32, shape, embedding.Vector)], [OutputName], cancellationToken).ConfigureAwait(false);
        using var rank = InferenceTelemetry.StartStage(InferenceTelemetry.PostprocessSpan, head.Name);
        var probabilities = VectorMath.Softmax(ModelCall.Rows(outputs[0], 1, Labels.Count, head.Name));
        var ranked = VectorMath.TopK(probabilities, Labels.Count).Select(s => new LabelScore(Labels[s.Index], s.Index, s.Score)).ToList();
        return new TextClassification(ranked[0], ranked, embedding.Tokens, embedding.Truncated);
    }

    private static TextClassifier Load(ModelVersion model)
    {
        var config = TaskModel.ReadConfig<TextClassifierConfig>(model);
        if (config.MaxTokens is < 2 or > 512)
        {
            throw TaskModel.Misconfigured(model, $"pipeline.max_tokens must be 2 to 512, got {config.MaxTokens}");
        }

        var labels = TaskModel.ReadLines(model, config.Labels, "labels");
        var input = model.Config.Inputs[0];
        var output = model.Config.Outputs.FirstOrDefault(o => o.Name == "logits") ?? model.Config.Outputs[0];
        if (input.Dims.Count != 1 || input.Dims[0] < 1)
        {
            throw TaskModel.Misconfigured(model, $"input '{input.Name}' must have one fixed dim (the embedding size), got [{string.Join(",", input.Dims)}]");
        }

        if (output.Dims.Count == 0 || output.Dims[^1] != labels.Count)
        {
            throw TaskModel.Misconfigured(model, $"output '{output.Name}' has dims [{string.Join(",", output.Dims)}] but {config.Labels} has {labels.Count} labels");
        }

        return new TextClassifier(config, labels, input.Name, output.Name, (int)input.Dims[0]);
    }
}

using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// Sentence embeddings from MiniLM: tokenise, pad a request's texts to its longest (mask 0 on padding, which the
/// mean pooling ignores), mean-pool last_hidden_state over the mask and L2-normalise.
/// </summary>
public static class TextEmbedder
{
    public const string ModelName = "minilm";

    public static async Task<IReadOnlyList<TextEmbedding>> EmbedAsync(ModelVersion model, IReadOnlyList<string> texts, int maxTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(texts);
        List<EncodedText> encoded;
        using (InferenceTelemetry.StartStage(InferenceTelemetry.PreprocessSpan, model.Name))
        {
            var tokenizer = TextTokenizer.For(model);
            encoded = texts.Select(t => tokenizer.Encode(t, maxTokens)).ToList();
        }

        var output = model.Config.Outputs[0];
        var hidden = (int)output.Dims[^1];
        var result = new List<TextEmbedding>(texts.Count);
        foreach (var chunk in encoded.Chunk(ModelCall.MaxItems(model.Config)))
        {
            var length = chunk.Max(e => e.Ids.Count);
            var ids = new long[chunk.Length * length];
            var mask = new long[chunk.Length * length];
            for (var i = 0; i < chunk.Length; i++)
            {
                for (var t = 0; t < chunk[i].Ids.Count; t++)
                {
                    ids[(i * length) + t] = chunk[i].Ids[t];
                    mask[(i * length) + t] = 1;
                }
            }

            var shape = ModelCall.Shape(model.Config, chunk.Length, length);
            Tensor[] inputs =
            [
                Tensor.Create("input_ids", TensorDataType.Int64, shape, ids),
                Tensor.Create("attention_mask", TensorDataType.Int64, shape, mask),
                Tensor.Create("token_type_ids", TensorDataType.Int64, shape, new long[ids.Length]),
            ];
            var outputs = await ModelCall.RunAsync(model, inputs, [output.Name], cancellationToken).ConfigureAwait(false);
            using var pool = InferenceTelemetry.StartStage(InferenceTelemetry.PostprocessSpan, model.Name);
            var states = ModelCall.Rows(outputs[0], chunk.Length * length, hidden, model.Name);
            for (var i = 0; i < chunk.Length; i++)
            {
                var vector = MeanPool(states.AsSpan(i * length * hidden, length * hidden), chunk[i].Ids.Count, hidden);
                VectorMath.L2Normalize(vector);
                result.Add(new TextEmbedding(vector, chunk[i].Ids.Count, chunk[i].Truncated));
            }
        }

        return result;
    }

    /// <summary>The mean of the first <paramref name="tokens"/> rows: exactly the positions whose mask is 1.</summary>
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

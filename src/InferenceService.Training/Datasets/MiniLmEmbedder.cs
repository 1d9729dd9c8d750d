using InferenceService.Runtime.Pipelines;
using Microsoft.ML.OnnxRuntime;

namespace InferenceService.Training.Datasets;

/// <summary>
/// Sentence embeddings from the repository's MiniLM model through ONNX Runtime, computed as the text endpoints
/// do: the runtime's own <see cref="TextTokenizer"/> (so a head is trained on the ids it is served with),
/// mean-pooled over the attention mask, L2-normalised.
/// </summary>
internal sealed class MiniLmEmbedder : IDisposable
{
    public const int Dimensions = 384;

    private readonly InferenceSession _session;
    private readonly TextTokenizer _tokenizer;

    public MiniLmEmbedder(string folder, int maxTokens, int threads)
    {
        var (model, vocab) = RequireFiles(folder);
        using (var stream = File.OpenRead(vocab))
        {
            _tokenizer = new TextTokenizer(stream);
        }

        MaxTokens = maxTokens;
        using var options = new SessionOptions { IntraOpNumThreads = threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(model, options);
    }

    public int MaxTokens { get; }

    /// <summary>The model and vocabulary paths in <paramref name="folder"/>; a clear error naming both when either is missing.</summary>
    public static (string Model, string Vocab) RequireFiles(string folder)
    {
        var model = Path.Combine(folder, "model.onnx");
        var vocab = Path.Combine(folder, TextTokenizer.VocabFileName);
        if (!File.Exists(model) || !File.Exists(vocab))
        {
            throw new FileNotFoundException(
                $"The MiniLM model is missing: expected {model} and {vocab}. Build src/InferenceService (it provisions models/minilm/1) or pass --minilm <folder>.");
        }

        return (model, vocab);
    }

    /// <summary>Token ids with [CLS]/[SEP], cut to <see cref="MaxTokens"/> (the [SEP] kept at the end), as serving cuts them.</summary>
    public long[] Tokenize(string text) => [.. _tokenizer.Encode(text, MaxTokens).Ids.Select(i => (long)i)];

    public float[][] Embed(IReadOnlyList<string> texts, int batchSize = 16, Action<int>? progress = null)
    {
        var tokens = texts.Select(Tokenize).ToArray();

        // Similar lengths batched together waste little on padding.
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => tokens[i].Length).ToArray();
        var result = new float[texts.Count][];
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var batch = order.Skip(start).Take(batchSize).ToArray();
            var embeddings = EmbedBatch([.. batch.Select(i => tokens[i])]);
            for (var k = 0; k < batch.Length; k++)
            {
                result[batch[k]] = embeddings[k];
            }

            progress?.Invoke(batch.Length);
        }

        return result;
    }

    private float[][] EmbedBatch(long[][] batch)
    {
        var length = batch.Max(t => t.Length);
        var ids = new long[batch.Length * length];
        var mask = new long[batch.Length * length];
        var types = new long[batch.Length * length];
        for (var b = 0; b < batch.Length; b++)
        {
            for (var t = 0; t < batch[b].Length; t++)
            {
                ids[(b * length) + t] = batch[b][t];
                mask[(b * length) + t] = 1;
            }
        }

        long[] shape = [batch.Length, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, ["input_ids", "attention_mask", "token_type_ids"],
            [idsValue, maskValue, typesValue], ["last_hidden_state"]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        var result = new float[batch.Length][];
        for (var b = 0; b < batch.Length; b++)
        {
            var sum = new float[Dimensions];
            var count = batch[b].Length;
            for (var t = 0; t < count; t++)
            {
                var row = hidden.Slice(((b * length) + t) * Dimensions, Dimensions);
                for (var d = 0; d < Dimensions; d++)
                {
                    sum[d] += row[d];
                }
            }

            double norm = 0;
            for (var d = 0; d < Dimensions; d++)
            {
                sum[d] /= count;
                norm += sum[d] * sum[d];
            }

            var scale = (float)(1 / Math.Max(Math.Sqrt(norm), 1e-12));
            for (var d = 0; d < Dimensions; d++)
            {
                sum[d] *= scale;
            }

            result[b] = sum;
        }

        return result;
    }

    public void Dispose() => _session.Dispose();
}

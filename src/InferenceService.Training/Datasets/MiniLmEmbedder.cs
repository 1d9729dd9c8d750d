using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace InferenceService.Training.Datasets;

/// <summary>
/// Sentence embeddings from the repository's MiniLM model through ONNX Runtime, computed as the text endpoints
/// do: BERT word pieces (lower-cased, accents stripped), mean-pooled over the attention mask, L2-normalised.
/// </summary>
internal sealed class MiniLmEmbedder : IDisposable
{
    public const int Dimensions = 384;
    private const int ClsId = 101;
    private const int SepId = 102;

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;

    public MiniLmEmbedder(string folder, int maxTokens, int threads)
    {
        var model = Path.Combine(folder, "model.onnx");
        var vocab = Path.Combine(folder, "vocab.txt");
        if (!File.Exists(model) || !File.Exists(vocab))
        {
            throw new FileNotFoundException(
                $"The MiniLM model is missing: expected {model} and {vocab}. Build src/InferenceService (it provisions models/minilm/1) or pass --minilm <folder>.");
        }

        using (var stream = File.OpenRead(vocab))
        {
            _tokenizer = BertTokenizer.Create(stream, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
        }

        MaxTokens = maxTokens;
        using var options = new SessionOptions { IntraOpNumThreads = threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(model, options);
    }

    public int MaxTokens { get; }

    /// <summary>Token ids with [CLS]/[SEP], cut to <see cref="MaxTokens"/> (the [SEP] kept at the end).</summary>
    public long[] Tokenize(string text)
    {
        // Word-piecing a 50 kB e-mail to keep 128 tokens is wasted work: 16 characters per token is generous.
        var head = text.Length > MaxTokens * 16 ? text[..(MaxTokens * 16)] : text;
        var ids = _tokenizer.EncodeToIds(head);
        if (ids.Count <= MaxTokens)
        {
            return [.. ids.Select(i => (long)i)];
        }

        var cut = ids.Take(MaxTokens - 1).Select(i => (long)i).ToList();
        cut.Add(SepId);
        return [.. cut];
    }

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

using InferenceService.Runtime.Tensors;

namespace InferenceService.Bench;

/// <summary>The inputs every measurement uses: one ResNet18 image, and MiniLM sequences of 16 and 128 tokens.</summary>
internal static class Workloads
{
    public const int ClsId = 101;
    public const int SepId = 102;

    /// <summary>"hello": one WordPiece token in the uncased BERT vocabulary, so n-2 of them plus [CLS]/[SEP] make n tokens.</summary>
    public const int HelloId = 7592;

    public const int ImageFloats = 3 * 224 * 224;

    public static IReadOnlyList<RawWorkload> Raw { get; } =
    [
        new("resnet18", "resnet18", [1, 2, 4, 8], ["Pooling395_Output_0"], Image),
        new("minilm-16", "minilm", [1, 8, 16, 32, 64], ["last_hidden_state"], b => Text(b, 16)),
        new("minilm-128", "minilm", [1, 4, 8, 16], ["last_hidden_state"], b => Text(b, 128)),
    ];

    public static float[] ImageData(int batch)
    {
        // Deterministic values in the range the service feeds (BGR 0-255 minus the ImageNet mean).
        var data = new float[batch * ImageFloats];
        var random = new Random(42);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)(random.NextDouble() * 255 - 120);
        }

        return data;
    }

    public static long[] TokenIds(int length)
    {
        var ids = new long[length];
        Array.Fill(ids, HelloId);
        ids[0] = ClsId;
        ids[^1] = SepId;
        return ids;
    }

    public static string TextOf(int tokens) => string.Join(' ', Enumerable.Repeat("hello", tokens - 2));

    private static IReadOnlyList<Tensor> Image(int batch) =>
        [new Tensor("Input247", TensorDataType.Fp32, [batch, 3, 224, 224], ImageData(batch))];

    private static IReadOnlyList<Tensor> Text(int batch, int length)
    {
        var one = TokenIds(length);
        var ids = new long[batch * length];
        for (var b = 0; b < batch; b++)
        {
            one.CopyTo(ids, b * length);
        }

        var mask = new long[ids.Length];
        Array.Fill(mask, 1L);
        return
        [
            new Tensor("input_ids", TensorDataType.Int64, [batch, length], ids),
            new Tensor("attention_mask", TensorDataType.Int64, [batch, length], mask),
            new Tensor("token_type_ids", TensorDataType.Int64, [batch, length], new long[ids.Length]),
        ];
    }
}

internal sealed record RawWorkload(string Label, string Model, int[] Batches, IReadOnlyList<string> Outputs, Func<int, IReadOnlyList<Tensor>> Inputs);

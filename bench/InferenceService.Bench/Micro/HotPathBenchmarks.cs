using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using InferenceService.Runtime.Batching;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Pipelines;
using InferenceService.Runtime.Protocol;
using InferenceService.Runtime.Repository;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Bench.Micro;

/// <summary>
/// The per-request work the service adds around ONNX Runtime: JSON tensor decode/encode, binary decode, batch assembly
/// and splitting (32 MiniLM requests of 9–16 tokens, padded), and tokenisation.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private const int Members = 32;
    private const int EmbeddingValues = 16 * 384;

    private byte[] _v2Json = [];
    private byte[] _imageBytes = [];
    private Tensor _embeddingOutput = null!;
    private BatchingModel _model = null!;
    private List<QueuedRequest> _queued = [];
    private AssembledBatch _assembled = null!;
    private IReadOnlyList<Tensor> _batchOutputs = [];
    private TextTokenizer _tokenizer = null!;
    private string _sentence = string.Empty;
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);

    [GlobalSetup]
    public void Setup()
    {
        var models = RepoRoot.Models;
        _v2Json = File.ReadAllBytes(WriteBodies(models));
        var image = Workloads.ImageData(1);
        _imageBytes = new byte[image.Length * sizeof(float)];
        Buffer.BlockCopy(image, 0, _imageBytes, 0, _imageBytes.Length);
        _embeddingOutput = new Tensor("last_hidden_state", TensorDataType.Fp32, [1, 16, 384], Enumerable.Range(0, EmbeddingValues).Select(i => i * 0.001f).ToArray());

        _model = new BatchingModel("minilm", ModelConfigLoader.Load(Path.Combine(models, "minilm")), TimeProvider.System);
        _queued = Enumerable.Range(0, Members).Select(i =>
        {
            var request = new InferenceRequest { Inputs = Text(9 + (i % 8)) };
            return new QueuedRequest(request, _model.Describe(request), 0, 0);
        }).ToList();
        _assembled = BatchAssembler.Assemble(_model, _queued);
        _batchOutputs = [new Tensor("last_hidden_state", TensorDataType.Fp32, [Members, 16, 384], new float[Members * 16 * 384])];

        using var vocab = File.OpenRead(Path.Combine(models, "minilm", "1", TextTokenizer.VocabFileName));
        _tokenizer = new TextTokenizer(vocab);
        _sentence = "The quick brown fox jumps over the lazy dog, then naps under the old oak tree by the riverbank.";
    }

    [Benchmark(Description = "V2 JSON decode, MiniLM seq 16 (3 inputs)")]
    public V2InferRequest JsonDecode() => V2JsonRequestReader.Read(_v2Json);

    [Benchmark(Description = "V2 JSON encode, [1,16,384] FP32 output")]
    public int JsonEncode()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        V2JsonResponseWriter.Write(writer, "minilm", 1, null, [_embeddingOutput]);
        writer.Flush();
        return _buffer.WrittenCount;
    }

    /// <summary>The same encode, reported per FP32 value (mean ÷ 6144).</summary>
    [Benchmark(Description = "V2 JSON encode, per FP32 value of [1,16,384]", OperationsPerInvoke = EmbeddingValues)]
    public int JsonEncodePerValue() => JsonEncode();

    /// <summary>The values written one by one with Utf8JsonWriter.WriteNumberValue (the BCL's formatter): the writer before runs of raw values, for comparison in the same run.</summary>
    [Benchmark(Description = "Utf8JsonWriter.WriteNumberValue, per FP32 value of [1,16,384]", OperationsPerInvoke = EmbeddingValues)]
    public int JsonEncodeValueByValuePerValue()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        writer.WriteStartArray();
        foreach (var value in (float[])_embeddingOutput.Data)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
        writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "Binary decode, ResNet18 image (602 KB FP32)")]
    public Array BinaryDecode() => BinaryTensorData.Decode(TensorDataType.Fp32, Workloads.ImageFloats, _imageBytes, "input 'Input247'");

    [Benchmark(Description = "Batch assembly, 32 MiniLM requests padded to 16")]
    public long Assemble() => BatchAssembler.Assemble(_model, _queued).Rows;

    [Benchmark(Description = "Batch splitting, 32 MiniLM outputs sliced back")]
    public int Split()
    {
        var total = 0;
        for (var i = 0; i < Members; i++)
        {
            total += BatchAssembler.Split(_model, _assembled, _batchOutputs, _queued, i, i)[0].ElementCount;
        }

        return total;
    }

    [Benchmark(Description = "Tokenise a 20-word sentence (BERT WordPiece)")]
    public EncodedText Tokenise() => _tokenizer.Encode(_sentence, 128);

    private static string WriteBodies(string models)
    {
        var dir = Path.Combine(Path.GetTempPath(), "inference-bench-micro-" + Environment.ProcessId);
        RequestBodies.Write(BenchArgs.Parse(["--out", dir]));
        return Path.Combine(dir, "minilm16.json");
    }

    private static IReadOnlyList<Tensor> Text(int length)
    {
        var ids = Workloads.TokenIds(length);
        var mask = Enumerable.Repeat(1L, length).ToArray();
        return
        [
            new Tensor("input_ids", TensorDataType.Int64, [1, length], ids),
            new Tensor("attention_mask", TensorDataType.Int64, [1, length], mask),
            new Tensor("token_type_ids", TensorDataType.Int64, [1, length], new long[length]),
        ];
    }
}

using System.Text.Json;
using Google.Protobuf;
using InferenceService.Runtime.Pipelines;
using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Tests.Pipelines;

/// <summary>Tokenizers built from files a test writes: BPE vocab.json + merges.txt, a SentencePiece .model, broken files.</summary>
public sealed class TextTokenizerFilesTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Load_CharacterBpeWithFraming_MergesAndFramesAsTheFilesSay()
    {
        WriteCharacterBpe();

        var tokenizer = Load("""{ "kind": "bpe", "byte_level": false, "unknown_token": "<unk>", "bos_token": "<s>", "eos_token": "</s>" }""");

        // "lower" → l o w e r → (l o) w → (lo w) → low; (e r) → er. "newest" has no merges: n e w e s t, unknown z.
        Assert.Equal([1, 9, 10, 2], tokenizer.Encode("lower", 16).Ids);
        Assert.Equal([1, 11, 6, 5, 6, 12, 13, 0, 2], tokenizer.Encode("newestz", 16).Ids);
        Assert.Equal(14, tokenizer.VocabularySize);
    }

    [Fact]
    public void Load_CharacterBpeTruncated_KeepsBothFramingTokens()
    {
        WriteCharacterBpe();
        var tokenizer = Load("""{ "byte_level": false, "bos_token": "<s>", "eos_token": "</s>", "unknown_token": "<unk>" }""");

        var cut = tokenizer.Encode("lower lower lower", 4);

        Assert.Equal([1, 9, 10, 2], cut.Ids);
        Assert.True(cut.Truncated);
        Assert.Equal(8, cut.FullLength);
    }

    [Fact]
    public void Load_ByteLevelBpeInferredFromTheFolder_SpellsSpacesAsGAndReportsOffsets()
    {
        // GPT-2's byte-to-character map: a space is Ġ. "hi hi" pre-tokenises to "hi", " hi".
        _folder.Write("vocab.json", JsonSerializer.Serialize(new Dictionary<string, int> { ["h"] = 0, ["i"] = 1, ["Ġ"] = 2, ["hi"] = 3, ["Ġhi"] = 4 }));
        _folder.Write("merges.txt", "#version: 0.2\nh i\nĠ hi\n");

        var tokenizer = Load(null);
        var tokens = tokenizer.Tokenize("hi hi", addSpecialTokens: true);

        Assert.Equal([3, 4], tokenizer.Encode("hi hi", 16).Ids);
        Assert.Equal([new TextToken(3, "hi", false, 0, 2), new TextToken(4, " hi", false, 2, 5)], tokens);
    }

    [Fact]
    public void Load_SentencePieceModelWrittenByTheTest_EncodesWithItsPiecesAndFraming()
    {
        File.WriteAllBytes(Path.Combine(_folder.Path, "spiece.model"), SentencePieceModel());

        var tokenizer = Load(null);

        // <s> ▁hello ▁world </s>: whole words, as the pieces' scores make BPE merge them.
        Assert.Equal([1, 15, 20, 2], tokenizer.Encode("hello world", 16).Ids);
        Assert.Equal([15, 20], tokenizer.Tokenize("hello world", addSpecialTokens: false).Select(t => t.Id));
    }

    [Fact]
    public void Load_WordPieceUnderAnotherName_GivesMiniLmIds()
    {
        File.Copy(Path.Combine(RepoModels.Dir("minilm"), "1", TextTokenizer.VocabFileName), Path.Combine(_folder.Path, "words.txt"));

        var tokenizer = Load("""{ "vocab": "words.txt" }""");

        Assert.Equal([101, 2023, 2003, 1037, 3231, 1012, 102], tokenizer.Encode("This is a test.", 256).Ids);
    }

    [Theory]
    [InlineData("""{ "kind": "sentencepiece", "model": "broken.model" }""", "the sentencepiece tokenizer files cannot be read")]
    [InlineData("""{ "kind": "sentencepiece", "model": "absent.model" }""", "pipeline.tokenizer.model names 'absent.model', which is not a file in")]
    [InlineData("""{ "kind": "bpe", "vocab": "broken.model", "merges": "broken.model" }""", "the bpe tokenizer files cannot be read")]
    [InlineData("""{ "kind": "bpe", "vocab": "vocab.json", "merges": "merges.txt", "bos_token": "<cls>" }""", "the special token '<cls>' is not in the vocabulary")]
    [InlineData("""{ "kind": "unigram" }""", "pipeline.tokenizer.kind must be wordpiece, bpe or sentencepiece; got 'unigram'")]
    [InlineData("""{ "vocab": "../vocab.txt" }""", "pipeline.tokenizer.vocab names '../vocab.txt', which is not a file in")]
    public void Load_BadOrMissingFile_FailsNamingTheFileOrTheProblem(string section, string reason)
    {
        WriteCharacterBpe();
        _folder.Write("broken.model", "this is not a protobuf message, nor JSON");

        var error = Assert.Throws<PipelineException>(() => Load(section));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoTokenizerFiles_SaysWhichFilesItLookedFor()
    {
        var error = Assert.Throws<PipelineException>(() => Load(null));

        Assert.Contains("no tokenizer files in", error.Message, StringComparison.Ordinal);
        Assert.Contains("vocab.txt (WordPiece), vocab.json + merges.txt (BPE) or a SentencePiece *.model", error.Message, StringComparison.Ordinal);
    }

    private TextTokenizer Load(string? tokenizerSection)
    {
        var pipeline = tokenizerSection is null ? """{ "kind": "text-embedder" }""" : $$"""{ "kind": "text-embedder", "tokenizer": {{tokenizerSection}} }""";
        var config = new ModelConfig { Pipeline = JsonDocument.Parse(pipeline).RootElement };
        var version = new ModelVersion("text", 1, config, _folder.Path);
        return TextTokenizerFiles.Load(version, TaskPipelines.ReadConfig<TextEmbedderConfig>(version));
    }

    private void WriteCharacterBpe()
    {
        string[] tokens = ["<unk>", "<s>", "</s>", "l", "o", "w", "e", "r", "lo", "low", "er", "n", "s", "t"];
        _folder.Write("vocab.json", JsonSerializer.Serialize(tokens.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i)));
        _folder.Write("merges.txt", "#version: 0.2\nl o\nlo w\ne r\n");
    }

    /// <summary>
    /// A SentencePiece BPE ModelProto (sentencepiece_model.proto) written field by field: pieces with scores (higher
    /// merges first) building "▁hello" and "▁world" letter by letter, &lt;unk&gt; 0, &lt;s&gt; 1, &lt;/s&gt; 2.
    /// </summary>
    private static byte[] SentencePieceModel()
    {
        string[] normal = ["▁", "h", "e", "l", "o", "w", "r", "d", "▁h", "▁he", "▁hel", "▁hell", "▁hello", "▁w", "▁wo", "▁wor", "▁worl", "▁world"];
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        void Piece(string text, float score, int type)
        {
            using var piece = new MemoryStream();
            var inner = new CodedOutputStream(piece);
            inner.WriteTag(1, WireFormat.WireType.LengthDelimited);
            inner.WriteString(text);
            inner.WriteTag(2, WireFormat.WireType.Fixed32);
            inner.WriteFloat(score);
            inner.WriteTag(3, WireFormat.WireType.Varint);
            inner.WriteEnum(type);
            inner.Flush();
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(piece.ToArray()));
        }

        Piece("<unk>", 0, 2);
        Piece("<s>", 0, 3);
        Piece("</s>", 0, 3);
        for (var i = 0; i < normal.Length; i++)
        {
            // Longer pieces score higher, so BPE builds whole words.
            Piece(normal[i], normal[i].Length - 10, 1);
        }

        using (var trainer = new MemoryStream())
        {
            var inner = new CodedOutputStream(trainer);
            inner.WriteTag(3, WireFormat.WireType.Varint);
            inner.WriteEnum(2); // model_type BPE
            inner.WriteTag(40, WireFormat.WireType.Varint);
            inner.WriteInt32(0); // unk_id
            inner.WriteTag(41, WireFormat.WireType.Varint);
            inner.WriteInt32(1); // bos_id
            inner.WriteTag(42, WireFormat.WireType.Varint);
            inner.WriteInt32(2); // eos_id
            inner.Flush();
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(trainer.ToArray()));
        }

        using (var normalizer = new MemoryStream())
        {
            var inner = new CodedOutputStream(normalizer);
            inner.WriteTag(1, WireFormat.WireType.LengthDelimited);
            inner.WriteString("identity");
            inner.WriteTag(3, WireFormat.WireType.Varint);
            inner.WriteBool(true); // add_dummy_prefix
            inner.WriteTag(4, WireFormat.WireType.Varint);
            inner.WriteBool(true); // remove_extra_whitespaces
            inner.WriteTag(5, WireFormat.WireType.Varint);
            inner.WriteBool(true); // escape_whitespaces
            inner.Flush();
            output.WriteTag(3, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(normalizer.ToArray()));
        }

        output.Flush();
        return stream.ToArray();
    }
}

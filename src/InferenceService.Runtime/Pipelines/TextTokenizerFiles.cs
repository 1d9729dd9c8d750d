using InferenceService.Runtime.Repository;

namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// Builds a text embedder's tokenizer from the files in its version folder when the version loads. The kind is
/// <c>pipeline.tokenizer.kind</c>, else inferred: from the file fields given (model → SentencePiece, merges → BPE,
/// vocab → WordPiece), else from the files present (vocab.txt → WordPiece; vocab.json + merges.txt → BPE; a single
/// *.model → SentencePiece). A missing or unreadable file makes the version UNAVAILABLE with a reason naming it.
/// </summary>
internal static class TextTokenizerFiles
{
    public const string BpeVocabFileName = "vocab.json";
    public const string BpeMergesFileName = "merges.txt";
    public const string SentencePieceExtension = ".model";

    public static TextTokenizer Load(ModelVersion model, TextEmbedderConfig config)
    {
        if (config.Vocab is not null && config.Tokenizer is not null)
        {
            throw TaskPipelines.Misconfigured(model, "give pipeline.vocab (a WordPiece vocab.txt) or pipeline.tokenizer, not both");
        }

        var tokenizer = config.Tokenizer ?? new TextTokenizerConfig { Kind = config.Vocab is null ? null : TextTokenizerKinds.WordPiece, Vocab = config.Vocab };
        var field = config.Vocab is not null ? "pipeline" : "pipeline.tokenizer";
        var kind = tokenizer.Kind ?? KindFromFields(tokenizer) ?? KindFromFolder(model);
        try
        {
            switch (kind)
            {
                case TextTokenizerKinds.WordPiece:
                    {
                        using var vocab = Open(model, field, "vocab", tokenizer.Vocab ?? TextTokenizer.VocabFileName);
                        return TextTokenizer.WordPiece(vocab, tokenizer.Lowercase);
                    }

                case TextTokenizerKinds.Bpe:
                    {
                        using var vocab = Open(model, field, "vocab", tokenizer.Vocab ?? BpeVocabFileName);
                        using var merges = Open(model, field, "merges", tokenizer.Merges ?? BpeMergesFileName);
                        return TextTokenizer.Bpe(vocab, merges, tokenizer.ByteLevel, tokenizer.UnknownToken, tokenizer.BosToken, tokenizer.EosToken);
                    }

                case TextTokenizerKinds.SentencePiece:
                    {
                        using var file = Open(model, field, "model", tokenizer.Model ?? SingleModelFile(model));
                        return TextTokenizer.SentencePiece(file, tokenizer.AddBos, tokenizer.AddEos);
                    }

                default:
                    throw TaskPipelines.Misconfigured(model, $"{field}.kind must be {TextTokenizerKinds.WordPiece}, {TextTokenizerKinds.Bpe} or {TextTokenizerKinds.SentencePiece}; got '{kind}'");
            }
        }
        catch (Exception e) when (e is not PipelineException and not OutOfMemoryException)
        {
            // The tokenizer libraries throw what their parsers throw (JSON, protobuf, format, argument errors).
            throw TaskPipelines.Misconfigured(model, $"the {kind} tokenizer files cannot be read: {e.GetType().Name}: {e.Message}");
        }
    }

    private static string? KindFromFields(TextTokenizerConfig tokenizer) =>
        tokenizer.Model is not null ? TextTokenizerKinds.SentencePiece
        : tokenizer.Merges is not null ? TextTokenizerKinds.Bpe
        : tokenizer.Vocab is null ? null
        : tokenizer.Vocab.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? TextTokenizerKinds.Bpe
        : TextTokenizerKinds.WordPiece;

    private static string KindFromFolder(ModelVersion model)
    {
        bool Has(string name) => File.Exists(Path.Combine(model.Directory, name));
        if (Has(TextTokenizer.VocabFileName))
        {
            return TextTokenizerKinds.WordPiece;
        }

        if (Has(BpeVocabFileName) && Has(BpeMergesFileName))
        {
            return TextTokenizerKinds.Bpe;
        }

        if (ModelFiles(model).Length > 0)
        {
            return TextTokenizerKinds.SentencePiece;
        }

        throw TaskPipelines.Misconfigured(model,
            $"no tokenizer files in {model.Directory}: expected {TextTokenizer.VocabFileName} (WordPiece), {BpeVocabFileName} + {BpeMergesFileName} (BPE) or a SentencePiece *{SentencePieceExtension}, or pipeline.tokenizer naming them");
    }

    private static string SingleModelFile(ModelVersion model)
    {
        var files = ModelFiles(model);
        return files.Length == 1
            ? files[0]
            : throw TaskPipelines.Misconfigured(model, files.Length == 0
                ? $"no SentencePiece *{SentencePieceExtension} file in {model.Directory}"
                : $"several *{SentencePieceExtension} files in {model.Directory} ({string.Join(", ", files)}): name one in pipeline.tokenizer.model");
    }

    private static string[] ModelFiles(ModelVersion model) =>
        Directory.EnumerateFiles(model.Directory, "*" + SentencePieceExtension).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();

    /// <summary>A file of the version folder (a bare name: no path may leave the folder).</summary>
    private static FileStream Open(ModelVersion model, string section, string field, string file)
    {
        var path = Path.Combine(model.Directory, file);
        if (Path.GetFileName(file) != file || !File.Exists(path))
        {
            throw TaskPipelines.Misconfigured(model, $"{section}.{field} names '{file}', which is not a file in {model.Directory}");
        }

        return File.OpenRead(path);
    }
}

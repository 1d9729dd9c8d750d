namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// <c>pipeline.tokenizer</c> of a text embedder: which Microsoft.ML.Tokenizers tokenizer and its files in the version
/// folder. Every field is optional: <see cref="Kind"/> is inferred from the files named or present
/// (<see cref="TextTokenizerFiles"/>), and each kind has default file names.
/// </summary>
public sealed record TextTokenizerConfig
{
    /// <summary><c>wordpiece</c> (vocab.txt), <c>bpe</c> (vocab.json + merges.txt) or <c>sentencepiece</c> (a .model file).</summary>
    public string? Kind { get; init; }

    /// <summary>WordPiece: the vocab.txt; BPE: the vocab.json (token → id).</summary>
    public string? Vocab { get; init; }

    /// <summary>BPE: the merges.txt.</summary>
    public string? Merges { get; init; }

    /// <summary>SentencePiece: the .model file (a serialised ModelProto).</summary>
    public string? Model { get; init; }

    /// <summary>WordPiece: uncased (lower-case and strip accents), as all-MiniLM, BGE and E5 are; false for cased BERT.</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>BPE: GPT-2 style byte-level BPE (RoBERTa and most Hugging Face BPE models); false for character-level BPE.</summary>
    public bool ByteLevel { get; init; } = true;

    /// <summary>BPE: the token for text the vocabulary cannot spell (byte-level BPE has none).</summary>
    public string? UnknownToken { get; init; }

    /// <summary>BPE: the token every text starts with (RoBERTa's &lt;s&gt;), or none.</summary>
    public string? BosToken { get; init; }

    /// <summary>BPE: the token every text ends with (RoBERTa's &lt;/s&gt;; last-token pooling models' end-of-text), or none.</summary>
    public string? EosToken { get; init; }

    /// <summary>SentencePiece: start every text with the model's beginning-of-sentence token.</summary>
    public bool AddBos { get; init; } = true;

    /// <summary>SentencePiece: end every text with the model's end-of-sentence token.</summary>
    public bool AddEos { get; init; } = true;
}

namespace InferenceService.Runtime.Pipelines;

/// <summary>
/// The <c>pipeline</c> section of a sentence-embedding model: its tokenizer files in the version folder, how hidden
/// states are pooled, and the prefixes an asymmetric retriever expects. Every field but <see cref="Kind"/> is optional.
/// </summary>
public sealed record TextEmbedderConfig
{
    public string Kind { get; init; } = string.Empty;

    /// <summary>A WordPiece vocab.txt: the short form of <c>"tokenizer": {"kind": "wordpiece", "vocab": ...}</c>.</summary>
    public string? Vocab { get; init; }

    /// <summary>The tokenizer and its files; when absent (and no <see cref="Vocab"/>) it is inferred from the files present.</summary>
    public TextTokenizerConfig? Tokenizer { get; init; }

    /// <summary><c>mean</c> (default), <c>cls</c> or <c>last-token</c>.</summary>
    public string Pooling { get; init; } = "mean";

    /// <summary>L2-normalise the pooled vector (a request may override it where its API has a field for it: TEI's normalize).</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>The most tokens the model takes (its position limit or training length); requests are held to the lower of this and Tasks:MaxTokens.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Prepended to texts sent as queries (E5: "query: ", BGE: "Represent this sentence for searching relevant passages: ").</summary>
    public string? QueryPrefix { get; init; }

    /// <summary>Prepended to texts sent as passages (E5: "passage: ").</summary>
    public string? PassagePrefix { get; init; }
}

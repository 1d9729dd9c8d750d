using System.ComponentModel.DataAnnotations;

namespace InferenceService.Hosting;

/// <summary>
/// The <c>Tei</c> section: the routes of Hugging Face's text-embeddings-inference (/embed, /similarity, /rerank,
/// /tokenize, /info, POST /). TEI serves one model per server, so they all answer for <see cref="Model"/>.
/// </summary>
public sealed class TeiOptions
{
    public const string Section = "Tei";

    /// <summary>The text embedder (pipeline kind text-embedder) the TEI routes use; empty: the routes are not mapped.</summary>
    public string? Model { get; set; } = "minilm";

    /// <summary>
    /// Inputs per request (TEI's max_client_batch_size); more is a 413. Up to this many are accepted and sent to the
    /// model in batches of its max_batch_size.
    /// </summary>
    [Range(1, 4096)]
    public int MaxClientBatchSize { get; set; } = 256;
}

using System.ComponentModel.DataAnnotations;
using InferenceService.Runtime.Pipelines;

namespace InferenceService.Hosting;

/// <summary>The <c>Tasks</c> configuration section: limits of the task endpoints (/v1/vision, /v1/text, /v1/recommendations).</summary>
public sealed class TaskLimitsOptions : IValidatableObject
{
    public const string Section = "Tasks";

    /// <summary>Bodies of the vision endpoints larger than this are refused with 413 before they are read in full.</summary>
    [Range(1024, 1L * 1024 * 1024 * 1024)]
    public long MaxImageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Images whose header declares more pixels (width x height) are refused with 413 before decoding.</summary>
    [Range(1, 500_000_000)]
    public long MaxImagePixels { get; set; } = 40_000_000;

    [Range(1, 64)]
    public int MaxImagesPerRequest { get; set; } = 8;

    /// <summary>
    /// Vision requests that read, decode and run their images at once; the others wait their turn (their bodies stay
    /// in the socket, a little in Kestrel's buffer). Bounds the memory of concurrent large uploads: each in turn holds
    /// up to about 2 x <see cref="MaxImageBytes"/> (body and parts) and one decoded image. The slot is held until the
    /// answer, so it also bounds how many vision requests one batch can gather: two per core (4 on 2 cores) keeps a
    /// CPU's batches full while a GPU machine's core count lets its larger batches form.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrentImageRequests { get; set; } = 2 * Environment.ProcessorCount;

    /// <summary>JSON bodies of the text endpoints larger than this are refused with 413.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxTextBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Texts per embeddings request, and candidates per similarity request.</summary>
    [Range(1, 256)]
    public int MaxTextsPerRequest { get; set; } = 32;

    [Range(1, 1_000_000)]
    public int MaxTextCharacters { get; set; } = 10_000;

    /// <summary>Tokens (with [CLS] and [SEP]) kept per text; longer texts are truncated and say so. MiniLM was trained on 256.</summary>
    [Range(8, TextTokenizer.MaxTokensLimit)]
    public int MaxTokens { get; set; } = 256;

    /// <summary>The largest k of classify and recommendation requests.</summary>
    [Range(1, 10_000)]
    public int MaxK { get; set; } = 100;

    /// <summary>Seen items a recommendation request may exclude.</summary>
    [Range(0, 100_000)]
    public int MaxExcludedItems { get; set; } = 1000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Characters are cheap to tokenise but every text must fit in the JSON body at least once.
        if ((long)MaxTextCharacters > MaxTextBodyBytes)
        {
            yield return new ValidationResult(
                $"Tasks:MaxTextCharacters ({MaxTextCharacters}) must not exceed Tasks:MaxTextBodyBytes ({MaxTextBodyBytes}): such a text could never be sent.",
                [nameof(MaxTextCharacters), nameof(MaxTextBodyBytes)]);
        }
    }
}

using System.ComponentModel.DataAnnotations;

namespace InferenceService.Hosting;

/// <summary>The <c>ResponseCache</c> configuration section: the shared cache that models opt into with <c>response_cache</c>.</summary>
public sealed class ResponseCacheOptions
{
    public const string Section = "ResponseCache";

    /// <summary>Bytes of answers kept (least recently used evicted first); 0 turns the cache off for every model.</summary>
    [Range(0, 64L * 1024 * 1024 * 1024)]
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;
}

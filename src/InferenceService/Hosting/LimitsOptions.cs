using System.ComponentModel.DataAnnotations;

namespace InferenceService.Hosting;

/// <summary>The <c>Limits</c> configuration section.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Request bodies larger than this are refused with 413.</summary>
    [Range(1024, 2L * 1024 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024 * 1024;
}

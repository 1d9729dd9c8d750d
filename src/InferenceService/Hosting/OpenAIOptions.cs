using System.ComponentModel.DataAnnotations;

namespace InferenceService.Hosting;

/// <summary>The <c>OpenAI</c> section: the OpenAI-compatible routes (/v1/embeddings, /v1/models).</summary>
public sealed class OpenAIOptions
{
    public const string Section = "OpenAI";

    /// <summary>When set, those routes need <c>Authorization: Bearer &lt;key&gt;</c>, as OpenAI's API does; empty: open.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Inputs per embeddings request (OpenAI's own limit is 2048). More than the model's max_batch_size are sent to it
    /// as several batches; the body still has to fit in Tasks:MaxTextBodyBytes.
    /// </summary>
    [Range(1, 2048)]
    public int MaxInputs { get; set; } = 2048;
}

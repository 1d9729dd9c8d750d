namespace InferenceService.Hosting;

/// <summary>The <c>Metrics</c> section of the configuration.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Export Triton's metric names (nv_inference_*) beside the service's own; false drops them.</summary>
    public bool TritonNames { get; set; } = true;
}

namespace InferenceService.Tests.Observability;

/// <summary>A fact that needs the prometheus binary: skipped, saying why, where it is not installed.</summary>
internal sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        if (!PrometheusServer.Installed)
        {
            Skip = $"{PrometheusServer.BinaryPath} is not installed (apt-get install prometheus; CI installs it: .ci/install.d/20-prometheus.sh).";
        }
    }
}

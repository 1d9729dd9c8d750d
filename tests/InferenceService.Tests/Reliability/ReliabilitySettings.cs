namespace InferenceService.Tests.Reliability;

/// <summary>
/// Short form by default (CI, a few minutes in all on 2 cores); <c>RELIABILITY_LONG=1</c> runs the long form
/// (10 min soak, 1 min overload).
/// </summary>
internal static class ReliabilitySettings
{
    public static bool Long { get; } = Environment.GetEnvironmentVariable("RELIABILITY_LONG") == "1";

    /// <summary>1 min in the normal test run: shorter leaves too little time after warm-up for RSS to settle.</summary>
    public static TimeSpan Soak => Long ? TimeSpan.FromMinutes(10) : TimeSpan.FromMinutes(1);

    /// <summary>The share of the soak that is warm-up (JIT tiering, ONNX Runtime's arena reaching its peak shapes), excluded from the memory-drift check.</summary>
    public static double SoakWarmupShare => Long ? 0.1 : 0.5;

    public static TimeSpan Overload => Long ? TimeSpan.FromMinutes(1) : TimeSpan.FromSeconds(6);

    public static TimeSpan CapacityProbe => Long ? TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(4);
}

namespace InferenceService.Tests.Reliability;

/// <summary>
/// Short form by default (CI, a few minutes in all on 2 cores); <c>RELIABILITY_LONG=1</c> runs the long form
/// (10 min soak, 1 min overload).
/// </summary>
internal static class ReliabilitySettings
{
    public static bool Long { get; } = Environment.GetEnvironmentVariable("RELIABILITY_LONG") == "1";

    /// <summary>1 min in CI, as the issue asks: a 25 s soak left only ~17 s after warm-up, too short for RSS to settle (a CI run saw 19.8 %).</summary>
    public static TimeSpan Soak => Long ? TimeSpan.FromMinutes(10) : TimeSpan.FromMinutes(1);

    /// <summary>The share of the soak that is warm-up (JIT tiering, ONNX Runtime's arena reaching its peak shapes), excluded from the memory-drift check.</summary>
    public static double SoakWarmupShare => Long ? 0.1 : 0.5;

    public static TimeSpan Overload => Long ? TimeSpan.FromMinutes(1) : TimeSpan.FromSeconds(6);

    public static TimeSpan CapacityProbe => Long ? TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(4);
}

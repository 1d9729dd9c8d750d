using System.Text.RegularExpressions;

namespace InferenceService.Tests.Hosting;

/// <summary>What the service prints at start-up, read from its real console output, redirected as to a log file.</summary>
public sealed partial class StartupLogTests(StartedService service) : IClassFixture<StartedService>
{
    [Fact]
    public void Start_OutputRedirected_HasNoEscapeCodes()
    {
        Assert.DoesNotContain(service.Lines, l => l.Contains('\u001b', StringComparison.Ordinal));
    }

    [Fact]
    public void Start_CudaUnavailable_NoNativeOnnxRuntimeErrorText()
    {
        // ONNX Runtime's own sink writes "[E:onnxruntime:..." lines; its CUDA probe failure is logged at Debug through ILogger.
        Assert.DoesNotContain(service.Lines, l => l.Contains(":onnxruntime:", StringComparison.Ordinal) || l.Contains("[ONNXRuntimeError]", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_EveryModel_OneReadyLineNamingTheProviderAndWhy()
    {
        foreach (var model in StartedService.Models)
        {
            var ready = Assert.Single(service.Lines, l => l.Contains($"Model {model} version ", StringComparison.Ordinal) && l.Contains(" ready on ", StringComparison.Ordinal));
            Assert.Matches(ProviderWithReason(), ready);
        }
    }

    [Fact]
    public void Start_ModelsLoadInBackground_SaysSoBeforeApplicationStartedAndWhenAllAreReady()
    {
        var lines = service.Lines.ToList();

        var loading = lines.FindIndex(l => l.Contains($"Loading {StartedService.Models.Count} model(s) in the background", StringComparison.Ordinal));
        var started = lines.FindIndex(l => l.Contains("Application started", StringComparison.Ordinal));
        Assert.InRange(loading, 0, started);
        Assert.Contains(lines, l => l.Contains($"All {StartedService.Models.Count} model(s) ready in ", StringComparison.Ordinal));
    }

    // "ready on cpu (cuda unavailable: libcublasLt.so.13 not found): ..." or "ready on cuda (as configured): ...".
    [GeneratedRegex(@" ready on \w+ \([^)]+\): ")]
    private static partial Regex ProviderWithReason();
}

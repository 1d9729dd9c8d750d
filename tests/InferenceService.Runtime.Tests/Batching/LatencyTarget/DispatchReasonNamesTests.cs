using InferenceService.Runtime.Batching.LatencyTarget;

namespace InferenceService.Runtime.Tests.Batching.LatencyTarget;

/// <summary>The stats endpoint's names for the tuner's reasons are a wire contract (clients and the recorded bench results use them).</summary>
public sealed class DispatchReasonNamesTests
{
    [Fact]
    public void ToWireName_EveryReason_IsTheNameTheStatsHaveAlwaysShown()
    {
        var expected = new Dictionary<DispatchReason, string>
        {
            [DispatchReason.Size] = "size",
            [DispatchReason.Full] = "full",
            [DispatchReason.Deadline] = "deadline",
            [DispatchReason.Unreachable] = "unreachable",
            [DispatchReason.Drain] = "drain",
            [DispatchReason.KeepUp] = "keep-up",
            [DispatchReason.Sparse] = "sparse",
        };

        var actual = Enum.GetValues<DispatchReason>().ToDictionary(r => r, r => r.ToWireName());

        Assert.Equal(expected, actual);
    }
}

namespace InferenceService.Tests;

/// <summary>
/// Tests that expect the host to fail at start-up run alone, after the parallel ones: WebApplicationFactory races the
/// entry point's failure (which disposes the host) against its own start, and under CPU contention the disposal can
/// win, giving ObjectDisposedException instead of the start-up error.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StartupFailureCollection
{
    public const string Name = "start-up failures";
}

namespace InferenceService.Tests.Reliability;

/// <summary>Load tests run alone, after the parallel collections: on 2 cores anything beside them skews capacity.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "reliability-load";
}

namespace InferenceService.Tests;

/// <summary>Tests that share one running service (loading the real models once).</summary>
[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}

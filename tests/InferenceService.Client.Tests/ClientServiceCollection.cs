namespace InferenceService.Client.Tests;

/// <summary>Every client test shares one running service (the models load once).</summary>
[CollectionDefinition(Name)]
public sealed class ClientServiceCollection : ICollectionFixture<ClientServiceFixture>
{
    public const string Name = "client-service";
}

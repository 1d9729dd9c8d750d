namespace InferenceService.Client;

/// <summary>Settings of an <see cref="InferenceClient"/>.</summary>
public sealed class InferenceClientOptions
{
    /// <summary>
    /// The service's admin key (its <c>Admin:ApiKey</c>), sent as <c>X-API-Key</c> on the repository API's calls only.
    /// Without it those calls are refused (401); the service maps the repository API only when it has a key.
    /// </summary>
    public string? AdminApiKey { get; set; }
}

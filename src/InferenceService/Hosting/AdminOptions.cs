namespace InferenceService.Hosting;

/// <summary>The <c>Admin</c> section: the key for the repository API. Empty means the routes are not mapped at all.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";
    public const string HeaderName = "X-API-Key";

    public string? ApiKey { get; set; }
}

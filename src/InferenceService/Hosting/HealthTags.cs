namespace InferenceService.Hosting;

internal static class HealthTags
{
    public const string Ready = "ready";
    public const string Startup = "startup";
}

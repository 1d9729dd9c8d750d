namespace InferenceService.Hosting;

/// <summary>
/// The demo page: static files from wwwroot (index.html at <c>/</c>), plain HTML, CSS and ES modules with no build step
/// and nothing fetched from elsewhere. It only calls the public task and statistics endpoints.
/// </summary>
public static class DemoPage
{
    public static WebApplication UseDemoPage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseDefaultFiles();
        app.UseStaticFiles();
        return app;
    }
}

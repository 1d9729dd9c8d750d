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

        // POST / is TEI's embed route (TeiApi). Routing runs before the static files, and with a POST-only route at /
        // it would answer GET / with 405, so the page gets its own GET route (where there is a page: a host started
        // from a folder without wwwroot has none).
        if (app.Environment.WebRootFileProvider.GetFileInfo("index.html") is { Exists: true, PhysicalPath: { } index })
        {
            app.MapGet("/", () => TypedResults.PhysicalFile(index, "text/html")).ExcludeFromDescription();
        }

        return app;
    }
}

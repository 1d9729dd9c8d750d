using Microsoft.Playwright;

namespace InferenceService.Tests.Browser;

/// <summary>
/// The screenshots docs/ shows (docs/images/*.png), taken by the browser tests at one small viewport. Each is written
/// to the test artifacts on every run; the committed copy is replaced only when UPDATE_SCREENSHOTS=1, so a CI run
/// never rewrites the repository (docs/images/README.md has the command).
/// </summary>
internal static class DocsScreenshots
{
    public const string UpdateVariable = "UPDATE_SCREENSHOTS";

    /// <summary>Small PNGs: the committed images stay well under 200 KB each.</summary>
    public const int MaxBytes = 200 * 1024;

    public static ViewportSize Viewport => new() { Width = 1000, Height = 700 };

    public static string Folder => Path.Combine(RepoPaths.Root, "docs", "images");

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>The page's viewport as <paramref name="name"/>; fails when the PNG would be too large to commit.</summary>
    public static async Task SaveAsync(IPage page, string name)
    {
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactDirectory, name), Type = ScreenshotType.Png });

        Assert.True(png.Length < MaxBytes, $"{name} is {png.Length} bytes, over {MaxBytes}: simplify what it shows");
        if (Updating)
        {
            await File.WriteAllBytesAsync(Path.Combine(Folder, name), png);
        }
    }
}

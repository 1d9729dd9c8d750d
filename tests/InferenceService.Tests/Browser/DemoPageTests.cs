using System.Globalization;
using Microsoft.Playwright;

namespace InferenceService.Tests.Browser;

/// <summary>
/// The demo page at / in chromium, against <see cref="DemoServer"/>: real resnet18 and minilm, stand-in mnist and
/// recommender. Every test fails on a console error or an uncaught exception.
/// </summary>
[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed class DemoPageTests(BrowserFixture browser, DemoServer server) : IClassFixture<DemoServer>
{
    private const string NotFoundResource = "Failed to load resource: the server responded with a status of 404 (Not Found)";

    [Fact]
    public async Task DigitCanvas_VerticalStroke_ShowsOneAsTopOfThreePredictions()
    {
        var (page, errors) = await OpenAsync();

        await DrawOneAsync(page);
        var predictions = page.Locator("#digit-predictions li");
        await predictions.Nth(2).WaitForAsync();
        await ScreenshotAsync(page.Locator("#digits"), "demo-digit.png");

        Assert.Equal(3, await predictions.CountAsync());
        Assert.Equal("1", await predictions.First.Locator(".label").InnerTextAsync());
        Assert.True(ValueOf(await predictions.First.Locator(".value").InnerTextAsync()) > 0.5);
        Assert.Contains("most likely 1", await page.Locator("#digit-status").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task DigitCanvas_ModelNotServed_SaysSoInsteadOfPredictions()
    {
        var (page, errors) = await OpenAsync();
        await page.Locator("#digit-model").FillAsync("fashion-mnist");

        await DrawOneAsync(page);
        var status = page.Locator("#digit-status.error");
        await status.WaitForAsync();
        await ScreenshotAsync(page.Locator("#digits"), "demo-digit-absent.png");

        Assert.Contains("The model 'fashion-mnist' is not served here", await status.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#digit-predictions li").CountAsync());
        Assert.Equal([NotFoundResource], errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task TextSimilarity_ThreeCandidates_RanksThemAndDrawsTheHeatmap()
    {
        var (page, errors) = await OpenAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Rank" }).ClickAsync();
        var heatmap = page.Locator("#text-heatmap tbody tr");
        await heatmap.Nth(3).WaitForAsync();
        await ScreenshotAsync(page.Locator("#text"), "demo-text-similarity.png");

        var ranked = page.Locator("#text-results li");
        Assert.Equal(["1. A man is eating a piece of bread.", "3. A man is riding a horse.", "2. The girl is carrying a baby."], await ranked.Locator(".label").AllInnerTextsAsync());
        Assert.Equal(["0.7553", "0.2474", "-0.1050"], await ranked.Locator(".value").AllInnerTextsAsync());
        Assert.Equal(["Q", "1.00", "0.76", "-0.10", "0.25"], await heatmap.First.Locator("th, td").AllInnerTextsAsync());
        Assert.Equal(4, await heatmap.CountAsync());
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task ImageSimilarity_ImageAndItsResizedCopy_ShowsTheirCosine()
    {
        var (page, errors) = await OpenAsync();
        await page.Locator("#image-a").SetInputFilesAsync(Path.Combine(RepoPaths.Root, "docs", "examples", "disc.jpg"));
        await page.Locator("#image-b").SetInputFilesAsync(Path.Combine(RepoPaths.Root, "docs", "examples", "disc-small.png"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await page.Locator("#image-meter:not([hidden])").WaitForAsync();
        await ScreenshotAsync(page.Locator("#images"), "demo-image-similarity.png");

        Assert.Equal("Cosine similarity (resnet18): 0.9952", await page.Locator("#image-status").InnerTextAsync());
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Recommendations_UserZero_ListsTheirTopItemsByName()
    {
        var (page, errors) = await OpenAsync();
        await page.GetByLabel("How many").FillAsync("3");

        await page.GetByRole(AriaRole.Button, new() { Name = "Recommend" }).ClickAsync();
        var items = page.Locator("#recommend-items li");
        await items.Nth(2).WaitForAsync();
        await ScreenshotAsync(page.Locator("#recommend"), "demo-recommendations.png");

        // User 0's scores are 0.1, 0.9, 0.3, 0.7, 0.5 for apple ... elderberry.
        Assert.Equal(["banana (#1)", "date (#3)", "elderberry (#4)"], await items.Locator(".label").AllInnerTextsAsync());
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Recommendations_UnknownUserWithFallback_ShowsThePopularItems()
    {
        var (page, errors) = await OpenAsync();
        await page.GetByLabel("User id").FillAsync("7");
        await page.GetByLabel("How many").FillAsync("2");

        await page.GetByRole(AriaRole.Button, new() { Name = "Recommend" }).ClickAsync();
        var items = page.Locator("#recommend-items li");
        await items.Nth(1).WaitForAsync();

        // The stand-in has 3 users; its popular items are 4, 2, 0, 1, 3.
        Assert.Contains("User 7 is unknown", await page.Locator("#recommend-status").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(["elderberry (#4)", "cherry (#2)"], await items.Locator(".label").AllInnerTextsAsync());
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Recommendations_ModelNotServed_SaysSo()
    {
        var (page, errors) = await OpenAsync();
        await page.Locator("#recommend-model").FillAsync("movies");

        await page.GetByRole(AriaRole.Button, new() { Name = "Recommend" }).ClickAsync();
        var status = page.Locator("#recommend-status.error");
        await status.WaitForAsync();

        Assert.Contains("The model 'movies' is not served here", await status.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal([NotFoundResource], errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task LiveStatistics_AfterADigitAndATextQuery_CountThemPerModel()
    {
        var (page, errors) = await OpenAsync();
        await page.Locator("#live-table tbody tr[data-model='minilm']").WaitForAsync();
        var minilm = await RequestsAsync(page, "minilm");
        var mnist = await RequestsAsync(page, "mnist");

        await DrawOneAsync(page);
        await page.Locator("#digit-predictions li").Nth(2).WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Rank" }).ClickAsync();
        await page.Locator("#text-heatmap tbody tr").Nth(3).WaitForAsync();

        // The similarity and the heatmap's embeddings are one request each; the drawing is one classify.
        await WaitForRequestsAsync(page, "minilm", minilm + 2);
        await WaitForRequestsAsync(page, "mnist", mnist + 1);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "demo-page.png"), FullPage = true });

        var cells = await page.Locator("#live-table tr[data-model='minilm'] td").AllInnerTextsAsync();
        Assert.EndsWith(" / 64", cells[4], StringComparison.Ordinal);
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task LiveStatistics_Burst_AnswersEveryRequestAndCountsIt()
    {
        var (page, errors) = await OpenAsync();
        await page.Locator("#live-table tbody tr[data-model='minilm']").WaitForAsync();
        var before = await RequestsAsync(page, "minilm");
        await page.GetByLabel("Concurrent requests").FillAsync("24");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send a burst" }).ClickAsync();
        await page.Locator("#burst-status", new() { HasTextString = "answered" }).WaitForAsync();
        await WaitForRequestsAsync(page, "minilm", before + 24);
        await ScreenshotAsync(page.Locator("#live"), "demo-live-burst.png");

        Assert.StartsWith("24 of 24 answered", await page.Locator("#burst-status").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await FailuresAsync(page, "minilm"));
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task DemoPage_DocsScreenshot_ShowsADrawnOneClassified()
    {
        var (page, errors) = await OpenAsync(server.BaseAddress, DocsScreenshots.Viewport);

        await DrawOneAsync(page);
        await page.Locator("#digit-predictions li").Nth(2).WaitForAsync();
        await DocsScreenshots.SaveAsync(page, "demo-page.png");

        Assert.Contains("most likely 1", await page.Locator("#digit-status").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task DemoPage_OnTheRealRepository_LoadsAndListsItsModelsWithoutErrors()
    {
        var (page, errors) = await OpenAsync(browser.BaseAddress);

        await page.Locator("#live-table tbody tr[data-model='resnet18']").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "demo-page-real-repository.png"), FullPage = true });

        Assert.Equal(1, await page.Locator("#live-table tbody tr[data-model='minilm']").CountAsync());
        Assert.Equal("InferenceService demo", await page.TitleAsync());
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    private Task<(IPage Page, List<string> Errors)> OpenAsync() => OpenAsync(server.BaseAddress);

    private Task<(IPage Page, List<string> Errors)> OpenAsync(Uri address) => OpenAsync(address, new ViewportSize { Width = 1280, Height = 1000 });

    private async Task<(IPage Page, List<string> Errors)> OpenAsync(Uri address, ViewportSize viewport)
    {
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = viewport });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(address.ToString());
        return (page, errors);
    }

    /// <summary>A vertical stroke down the middle of the canvas, as a mouse would draw a "1".</summary>
    private static async Task DrawOneAsync(IPage page)
    {
        var box = (await page.Locator("#digit-canvas").BoundingBoxAsync())!;
        var x = box.X + (box.Width / 2);
        await page.Mouse.MoveAsync(x, box.Y + (box.Height * 0.15f));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(x + 4, box.Y + (box.Height * 0.85f), new MouseMoveOptions { Steps = 12 });
        await page.Mouse.UpAsync();
    }

    private static async Task<long> RequestsAsync(IPage page, string model) =>
        long.Parse(await page.Locator($"#live-table tr[data-model='{model}'] td:nth-last-child(2)").InnerTextAsync(), CultureInfo.InvariantCulture);

    /// <summary>Until the live panel's Requests column for the model reaches at least the count (a timeout fails the test).</summary>
    private static Task WaitForRequestsAsync(IPage page, string model, long atLeast) =>
        page.WaitForFunctionAsync(
            "([model, atLeast]) => Number(document.querySelector(`#live-table tr[data-model='${model}'] td:nth-last-child(2)`)?.textContent) >= atLeast",
            new object[] { model, atLeast });

    private static async Task<long> FailuresAsync(IPage page, string model) =>
        long.Parse(await page.Locator($"#live-table tr[data-model='{model}'] td:last-child").InnerTextAsync(), CultureInfo.InvariantCulture);

    private static double ValueOf(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static Task ScreenshotAsync(ILocator section, string name) =>
        section.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactDirectory, name) });
}

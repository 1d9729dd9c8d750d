using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace InferenceService.Tests.Browser;

/// <summary>Swagger UI in a real browser: every operation listed, and "Try it out" → "Execute" answers 200.</summary>
[Trait("Category", "Browser")]
[Collection(BrowserCollection.Name)]
public sealed class SwaggerUiTests(BrowserFixture fixture)
{
    private Task<(IPage Page, List<string> Errors)> OpenAsync(string path) => OpenAsync(path, new ViewportSize { Width = 1400, Height = 1000 });

    private async Task<(IPage Page, List<string> Errors)> OpenAsync(string path, ViewportSize viewport)
    {
        var page = await fixture.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = viewport });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(new Uri(fixture.BaseAddress, path).ToString());
        return (page, errors);
    }

    [Fact]
    public async Task SwaggerUi_Loads_ListsEveryOperationOfTheDocument()
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        var document = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!;
        var operations = document["paths"]!.AsObject().Sum(p => p.Value!.AsObject().Count);
        var (page, errors) = await OpenAsync("/swagger/index.html");

        await page.Locator(".opblock").First.WaitForAsync();
        var listed = await page.Locator(".opblock").CountAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactDirectory, "swagger-ui.png"), FullPage = true });

        Assert.Equal(operations, listed);
        Assert.True(operations >= 12, $"only {operations} operations in the document");
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task SwaggerUi_DocsScreenshot_ShowsTheOperationsByArea()
    {
        var (page, errors) = await OpenAsync("/swagger/index.html", DocsScreenshots.Viewport);

        await page.Locator(".opblock").First.WaitForAsync();
        await DocsScreenshots.SaveAsync(page, "swagger-ui.png");

        Assert.StartsWith("InferenceService", await page.Locator(".info .title").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task SwaggerUi_TryItOutOnMiniLmInfer_Executes200()
    {
        var (page, errors) = await OpenAsync("/swagger/index.html");

        var (code, body) = await TryItOutAsync(page, "V2ModelInfer", "swagger-minilm-infer.png");

        Assert.Equal("200", code);
        Assert.Contains("last_hidden_state", body, StringComparison.Ordinal);
        Assert.Contains("\"id\": \"example-1\"", body, StringComparison.Ordinal);
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    [Fact]
    public async Task SwaggerUi_TryItOutOnTextSimilarity_Executes200WithCandidatesRanked()
    {
        var (page, errors) = await OpenAsync("/swagger/index.html");

        var (code, body) = await TryItOutAsync(page, "TextSimilarity", "swagger-text-similarity.png");

        Assert.Equal("200", code);
        var results = JsonNode.Parse(body)!["results"]!.AsArray();
        Assert.Equal(2, results.Count);
        Assert.Equal("A man is eating a piece of bread.", results[0]!["text"]!.GetValue<string>());
        Assert.Equal(0.7553, results[0]!["cosine"]!.GetValue<double>(), 4);
        Assert.Equal("The girl is carrying a baby.", results[1]!["text"]!.GetValue<string>());
        Assert.Equal(-0.1050, results[1]!["cosine"]!.GetValue<double>(), 4);
        Assert.Empty(errors);
        await page.CloseAsync();
    }

    /// <summary>Opens the operation, presses "Try it out" then "Execute" with its example, and screenshots the operation.</summary>
    private static async Task<(string Code, string Body)> TryItOutAsync(IPage page, string operationId, string screenshot)
    {
        var operation = page.Locator($".opblock[id$='-{operationId}']");
        await operation.WaitForAsync();
        if (!await operation.Locator(".try-out__btn").IsVisibleAsync())
        {
            await operation.Locator(".opblock-summary").ClickAsync();
        }

        await operation.Locator(".try-out__btn").ClickAsync();
        await operation.Locator(".execute").ClickAsync();
        var status = operation.Locator(".live-responses-table tbody .response-col_status").First;
        await status.WaitForAsync();
        var code = (await status.InnerTextAsync()).Trim();
        var body = await operation.Locator(".live-responses-table tbody .response-col_description pre").First.InnerTextAsync();
        await operation.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserFixture.ArtifactDirectory, screenshot) });
        return (code, body);
    }
}

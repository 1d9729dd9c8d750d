using System.Net;
using System.Text.Json;
using static InferenceService.Tests.Apis.TaskHttp;

namespace InferenceService.Tests.Apis;

/// <summary>/v1/recommendations on the generated "shop" recommender (3 users, 5 items, tables in <see cref="TaskModelsFixture"/>).</summary>
[Collection(TaskModelsCollection.Name)]
public sealed class RecommendationsApiTests(TaskModelsFixture fixture)
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task ForUser_KnownUser_ReturnsTopKItemsByScoreWithNames()
    {
        var body = await GetOkAsync("/v1/recommendations/shop/users/0?k=3");

        Assert.False(body.GetProperty("cold_start").GetBoolean());
        Assert.Equal([(1, 0.9f, "banana"), (3, 0.7f, "date"), (4, 0.5f, "elderberry")], Items(body));
    }

    [Fact]
    public async Task ForUser_SeenItemsExcluded_SkipsThem()
    {
        var body = await GetOkAsync("/v1/recommendations/shop/users/0?k=3&exclude=1,3");

        Assert.Equal([4, 2, 0], Items(body).Select(i => i.Id));
    }

    [Fact]
    public async Task ForUser_RepeatedExcludeParameters_SkipsThemAll()
    {
        var body = await GetOkAsync("/v1/recommendations/shop/users/1?k=2&exclude=0&exclude=1");

        Assert.Equal([2, 3], Items(body).Select(i => i.Id));
    }

    [Fact]
    public async Task ForUser_UnknownUser_Returns404StatingTheKnownRange()
    {
        var detail = await ReadProblemAsync(await _client.GetAsync("/v1/recommendations/shop/users/3"), HttpStatusCode.NotFound);

        Assert.Contains("Unknown user 3", detail, StringComparison.Ordinal);
        Assert.Contains("users 0 to 2", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForUser_UnknownUserWithPopularFallback_ReturnsPopularItemsAsColdStart()
    {
        var body = await GetOkAsync("/v1/recommendations/shop/users/99?k=2&exclude=4&fallback=popular");

        Assert.True(body.GetProperty("cold_start").GetBoolean());
        Assert.Equal([2, 0], Items(body).Select(i => i.Id));
    }

    [Theory]
    [InlineData("/v1/recommendations/shop/users/abc", "userId must be an integer")]
    [InlineData("/v1/recommendations/shop/users/-1", "userId must be an integer")]
    [InlineData("/v1/recommendations/shop/users/0?k=0", "k must be 1 to 100")]
    [InlineData("/v1/recommendations/shop/users/0?k=101", "k must be 1 to 100 (Tasks:MaxK)")]
    [InlineData("/v1/recommendations/shop/users/0?exclude=7", "item ids 0 to 4")]
    [InlineData("/v1/recommendations/shop/users/0?fallback=random", "fallback must be")]
    [InlineData("/v1/recommendations/shop/items/x/similar", "itemId must be an integer")]
    [InlineData("/v1/recommendations/shop/items/0/similar?k=abc", "k must be an integer from 1 to 100")]
    public async Task Get_InvalidParameter_Returns400SayingWhy(string path, string expected)
    {
        var detail = await ReadProblemAsync(await _client.GetAsync(path), HttpStatusCode.BadRequest);

        Assert.Contains(expected, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Similar_KnownItem_ReturnsMostSimilarItemsWithoutItself()
    {
        var body = await GetOkAsync("/v1/recommendations/shop/items/0/similar?k=2");

        Assert.Equal([(2, 0.8f, "cherry"), (4, 0.5f, "elderberry")], Items(body));
    }

    [Fact]
    public async Task Similar_UnknownItem_Returns404StatingTheKnownRange()
    {
        var detail = await ReadProblemAsync(await _client.GetAsync("/v1/recommendations/shop/items/5/similar"), HttpStatusCode.NotFound);

        Assert.Contains("items 0 to 4", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForUser_ModelThatIsNotARecommender_Returns404()
    {
        var detail = await ReadProblemAsync(await _client.GetAsync("/v1/recommendations/digits/users/0"), HttpStatusCode.NotFound);

        Assert.Contains("available: shop", detail, StringComparison.Ordinal);
    }

    private async Task<JsonElement> GetOkAsync(string path) => await ReadOkAsync(await _client.GetAsync(path));

    private static List<(int Id, float Score, string? Name)> Items(JsonElement body) =>
        body.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("item_id").GetInt32(), i.GetProperty("score").GetSingle(), i.GetProperty("name").GetString()))
            .ToList();
}

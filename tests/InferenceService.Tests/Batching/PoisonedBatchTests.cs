using System.Net;
using System.Text.Json.Nodes;

namespace InferenceService.Tests.Batching;

/// <summary>
/// One client's bad request never fails the requests it is batched with, on the real MiniLM: an id outside the
/// vocabulary is refused up front (the range is read from the graph), and what only the engine can see is isolated by
/// re-running the batch in parts.
/// </summary>
public sealed class PoisonedBatchTests
{
    private static readonly long[] Good = [101, 2023, 2003, 1037, 3231, 1012, 102];
    private static readonly long[] Poisoned = [101, 2023, 40000, 1037, 3231, 1012, 102];

    [Fact]
    public async Task ConcurrentRounds_OneIdOutsideTheVocabulary_RefusedUpFrontEveryGoodRequestAnswered()
    {
        using var service = new CustomService();
        service.AddRealModel("minilm");
        var client = await service.StartAsync();

        var (bad, good) = await RoundsAsync(client);

        Assert.All(bad, r => Assert.Equal(HttpStatusCode.BadRequest, r.Status));
        Assert.Contains("Input 'input_ids' holds 40000", bad[0].Error, StringComparison.Ordinal);
        Assert.Contains("from -30522 to 30521", bad[0].Error, StringComparison.Ordinal);
        Assert.All(good, r => Assert.Equal(HttpStatusCode.OK, r.Status));
    }

    [Fact]
    public async Task ConcurrentRounds_EngineSeesTheBadId_OnlyTheCulpritFailsAndTheBreakerStaysClosed()
    {
        // A declared range wider than the table lets the id through to the engine, which fails the whole batch; the
        // batcher re-runs parts of it, and the breaker (at its threshold: 10 requests, half failing) never opens.
        using var service = new CustomService(new()
        {
            ["Resilience:MinimumThroughput"] = "10",
            ["Resilience:FailureRatio"] = "0.05",
            ["Resilience:SamplingDurationSeconds"] = "120",
        });
        service.AddRealModel("minilm");
        var config = File.ReadAllText(Path.Combine(service.RepositoryPath, "minilm", "config.json"))
            .Replace("{ \"name\": \"input_ids\", \"datatype\": \"INT64\", \"dims\": [-1], \"pad_value\": 0 }", "{ \"name\": \"input_ids\", \"datatype\": \"INT64\", \"dims\": [-1], \"pad_value\": 0, \"value_range\": [0, 100000] }", StringComparison.Ordinal)
            .Replace("\"dynamic_batching\": {", "\"dynamic_batching\": { \"max_queue_delay_microseconds\": 20000,", StringComparison.Ordinal);
        Assert.Contains("value_range", config, StringComparison.Ordinal);
        Assert.Contains("\"max_queue_delay_microseconds\": 20000", config, StringComparison.Ordinal);
        service.Write("minilm/config.json", config);
        var client = await service.StartAsync();
        var solo = await EmbedAsync(client, Good);

        var (bad, good) = await RoundsAsync(client);
        var after = await EmbedAsync(client, Good);

        Assert.All(bad, r => Assert.True((int)r.Status is >= 400 and < 600 and not 503, $"{r.Status} {r.Error}"));
        Assert.All(good, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(good, r => AssertClose(solo, r.Embedding!));
        Assert.Equal(HttpStatusCode.OK, after.Status);
    }

    /// <summary>20 rounds of 16 concurrent requests, one of them poisoned.</summary>
    private static async Task<(List<Answer> Bad, List<Answer> Good)> RoundsAsync(HttpClient client)
    {
        var bad = new List<Answer>();
        var good = new List<Answer>();
        for (var round = 0; round < 20; round++)
        {
            var poisonedAt = round % 16;
            var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => EmbedAsync(client, i == poisonedAt ? Poisoned : Good)));
            bad.Add(answers[poisonedAt]);
            good.AddRange(answers.Where((_, i) => i != poisonedAt));
        }

        return (bad, good);
    }

    private static async Task<Answer> EmbedAsync(HttpClient client, long[] ids)
    {
        var (body, status) = await V2Json.PostAsync(client, "/v2/models/minilm/infer", V2Json.MiniLm(ids));
        return status == HttpStatusCode.OK
            ? new Answer(status, null, V2Json.Floats(body))
            : new Answer(status, body["error"]?.GetValue<string>() ?? body.ToJsonString(), null);
    }

    private static void AssertClose(Answer expected, float[] actual)
    {
        var reference = expected.Embedding!;
        Assert.Equal(reference.Length, actual.Length);
        for (var i = 0; i < reference.Length; i++)
        {
            Assert.True(Math.Abs(reference[i] - actual[i]) < 1e-4, $"value {i}: {actual[i]} vs unbatched {reference[i]}");
        }
    }

    private sealed record Answer(HttpStatusCode Status, string? Error, float[]? Embedding);
}

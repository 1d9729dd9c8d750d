using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using InferenceService.Tests.Observability;

namespace InferenceService.Tests.Reliability.Chaos;

/// <summary>
/// Sixteen different MiniLM requests wait together in the batcher (a 3 s queue delay holds them), then half of their
/// clients hang up. The queue drops the abandoned work at once (the pending gauge falls to the eight left, and only
/// eight inferences ever run), and each remaining client gets its own correct embedding: the same numbers a model
/// without a queue delay gives for its input.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class DisconnectChaosTests
{
    private const int Clients = 16;

    [Fact]
    [Trait("Category", "Load")]
    public async Task ClientsDisconnectMidBatch_BatchMatesAnswered_QueueDropsTheirWork()
    {
        using var repository = new ReliabilityRepository(config => config["dynamic_batching"]!["max_queue_delay_microseconds"] = 3_000_000L);
        repository.AddModel("minilm", "minilm-ref");
        using var service = await ServiceProcess.StartAsync(repository.Path, "--ModelRepository:ControlMode=none");
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients * 2 }) { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var hangUps = Enumerable.Range(0, Clients).Select(_ => new CancellationTokenSource()).ToList();
        var calls = Enumerable.Range(0, Clients).Select(i => SendAsync(client, "minilm", i, hangUps[i].Token)).ToList();
        await UntilPendingAsync(service.BaseAddress, Clients);

        foreach (var hangUp in hangUps.Where((_, i) => i % 2 == 1))
        {
            await hangUp.CancelAsync();
        }

        var pendingAfter = await UntilPendingAsync(service.BaseAddress, Clients / 2);
        var outcomes = await Task.WhenAll(calls.Select(async call =>
        {
            try
            {
                return await call;
            }
            catch (TaskCanceledException)
            {
                return null;
            }
        }));
        var references = await Task.WhenAll(Enumerable.Range(0, Clients).Where(i => i % 2 == 0).Select(i => SendAsync(client, "minilm-ref", i, default)));
        var statistics = JsonNode.Parse(await client.GetStringAsync(new Uri("/v2/models/minilm/stats", UriKind.Relative)))!;
        using var ready = await client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative));
        foreach (var hangUp in hangUps)
        {
            hangUp.Dispose();
        }

        Assert.Equal(Clients / 2, pendingAfter);
        Assert.All(outcomes.Where((_, i) => i % 2 == 1), o => Assert.Null(o));
        var kept = outcomes.Where((_, i) => i % 2 == 0).ToList();
        for (var k = 0; k < kept.Count; k++)
        {
            Assert.NotNull(kept[k]);
            var (answer, expected) = (kept[k]!, references[k]!);
            Assert.Equal(expected.Length, answer.Length);
            Assert.All(Enumerable.Range(0, answer.Length), j => Assert.Equal(expected[j], answer[j], 1e-4f));
        }

        Assert.Equal(Clients / 2, statistics["model_stats"]![0]!["inference_count"]!.GetValue<long>());
        Assert.True(ready.IsSuccessStatusCode);
    }

    /// <summary>MiniLM's hidden states for input <paramref name="seed"/> (16 tokens, different per seed); null never (a failure throws).</summary>
    private static async Task<float[]?> SendAsync(HttpClient client, string model, int seed, CancellationToken hangUp)
    {
        var ids = Enumerable.Range(0, 16).Select(t => t == 0 ? 101L : t == 15 ? 102L : 2000L + (seed * 37) + (t * 11)).ToArray();
        string Input(string name, IEnumerable<long> data) => $$"""{"name": "{{name}}", "datatype": "INT64", "shape": [1, 16], "data": [{{string.Join(",", data)}}]}""";
        var body = $$"""{"inputs": [{{Input("input_ids", ids)}}, {{Input("attention_mask", Enumerable.Repeat(1L, 16))}}, {{Input("token_type_ids", new long[16])}}]}""";
        using var response = await client.PostAsync(new Uri($"/v2/models/{model}/infer", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), hangUp);
        var text = await response.Content.ReadAsStringAsync(hangUp);
        Assert.True(response.IsSuccessStatusCode, $"{model} #{seed}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!["outputs"]![0]!["data"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
    }

    private static async Task<double?> UntilPendingAsync(Uri baseAddress, int count)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var until = Stopwatch.StartNew();
        double? pending;
        do
        {
            pending = PrometheusText.Value(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)), "inference_pending_requests", ("model", "minilm"));
            if (pending == count)
            {
                break;
            }

            await Task.Delay(20);
        }
        while (until.Elapsed < TimeSpan.FromSeconds(20));
        return pending;
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace InferenceService.Tests.Reliability.Chaos;

/// <summary>
/// The service is killed with SIGKILL while it loads its repository, which also holds what an interrupted publish or
/// copy leaves behind: a hidden staging folder with half a model, and a numbered version whose model.onnx was cut
/// short (its sha256 list says so). At the next start no half-written version is loaded: the complete version and
/// MiniLM answer correctly, the cut-short version is refused with its reason, the staging folder is not a model.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class LoadKillChaosTests
{
    private const string Key = "chaos-admin-key";

    [Fact]
    [Trait("Category", "Load")]
    public async Task SigkillDuringRepositoryLoad_NextStart_OnlyCompleteVersionsServe()
    {
        using var repository = new ReliabilityRepository();
        repository.AddModel("resnet18");
        var adder = Path.Combine(repository.Path, "adder");
        AdderModel.Publish(repository.Path, "adder", 1, AdderModel.Build(1));
        File.WriteAllText(Path.Combine(adder, "config.json"), AdderModel.Config.Replace("\"latest\": 1", "\"all\": {}", StringComparison.Ordinal));
        var full = AdderModel.Build(3);
        Directory.CreateDirectory(Path.Combine(adder, ".2.tmp-interrupted"));
        File.WriteAllBytes(Path.Combine(adder, ".2.tmp-interrupted", "model.onnx"), full[..(full.Length / 2)]);
        Directory.CreateDirectory(Path.Combine(adder, "3"));
        File.WriteAllBytes(Path.Combine(adder, "3", "model.onnx"), full[..(full.Length / 2)]);
        File.WriteAllText(Path.Combine(adder, "3", "sha256"), $"{Convert.ToHexStringLower(SHA256.HashData(full))}  model.onnx\n");
        string[] args = ["--ModelRepository:ControlMode=poll", $"--Admin:ApiKey={Key}"];

        HttpStatusCode readyAtKill;
        using (var first = await ServiceProcess.StartListeningAsync(repository.Path, args))
        {
            using var probe = new HttpClient { BaseAddress = first.BaseAddress };
            readyAtKill = (await probe.GetAsync(new Uri("/v2/health/ready", UriKind.Relative))).StatusCode;
            first.KillHard();
        }

        using var second = await ServiceProcess.StartAsync(repository.Path, args);
        using var client = new HttpClient { BaseAddress = second.BaseAddress };
        var v1 = await InferAsync(client, "/v2/models/adder/infer");
        var v1Explicit = await InferAsync(client, "/v2/models/adder/versions/1/infer");
        var v3 = await InferAsync(client, "/v2/models/adder/versions/3/infer");
        var v2 = await InferAsync(client, "/v2/models/adder/versions/2/infer");
        using var minilm = await client.SendAsync(MiniLmRequests.V2Infer());
        using var indexRequest = new HttpRequestMessage(HttpMethod.Post, "/v2/repository/index") { Headers = { { "X-API-Key", Key } } };
        using var indexResponse = await client.SendAsync(indexRequest);
        var index = JsonNode.Parse(await indexResponse.Content.ReadAsStringAsync())!.AsArray().Select(r => r!.AsObject()).ToList();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyAtKill);
        Assert.Equal((HttpStatusCode.OK, "1"), (v1.Status, v1.Body));
        Assert.Equal((HttpStatusCode.OK, "1"), (v1Explicit.Status, v1Explicit.Body));
        Assert.True(v3.Status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"version 3: {v3}");
        Assert.Contains("sha256", v3.Body, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, v2.Status);
        Assert.Equal(HttpStatusCode.OK, minilm.StatusCode);
        Assert.DoesNotContain(index, r => r["name"]!.GetValue<string>().StartsWith('.') || r["version"]?.GetValue<string>() == "2");
        var row3 = Assert.Single(index, r => r["name"]!.GetValue<string>() == "adder" && r["version"]?.GetValue<string>() == "3");
        Assert.Equal("UNAVAILABLE", row3["state"]!.GetValue<string>());
        Assert.Contains("sha256", row3["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>Status and, for a 200, the first output value (the adder's constant); otherwise the error text.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> InferAsync(HttpClient client, string path)
    {
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(
            """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 4], "data": [0, 0, 0, 0]}]}""", Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (response.StatusCode, response.IsSuccessStatusCode
            ? body["outputs"]![0]!["data"]![0]!.GetValue<float>().ToString(System.Globalization.CultureInfo.InvariantCulture)
            : body["error"]!.GetValue<string>());
    }
}

using InferenceService.Runtime.Repository;
using InferenceService.Tests.Apis;
using InferenceService.Tests.Pipelines;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceService.Tests.Browser;

/// <summary>
/// The service on a real Kestrel port over a temporary repository: the real resnet18 and minilm (linked) plus stand-ins
/// with the training module's contracts, under the names the demo page uses: "mnist" (an image classifier that knows
/// only a vertical stroke) and "recommender" (the tiny tables of <see cref="TaskModelsFixture"/>).
/// </summary>
public sealed class DemoServer : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "demo-repo-" + Guid.NewGuid().ToString("N"));
    private readonly WebApplicationFactory<Program> _factory;

    public DemoServer() => _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
        .UseSetting("urls", "http://127.0.0.1:0")
        .UseSetting("Grpc:Url", string.Empty)
        .UseSetting("ModelRepository:Path", _root));

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        foreach (var real in (string[])["resnet18", "minilm"])
        {
            Directory.CreateSymbolicLink(Path.Combine(_root, real), Path.Combine(RepoPaths.Models, real));
        }

        WriteStrokeClassifier();
        WriteRecommender();
        _factory.UseKestrel();
        _factory.StartServer();
        var models = _factory.Services.GetRequiredService<ModelRegistry>();
        await models.Startup.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(models.IsReady, "models not ready: " + string.Join("; ", models.Models.Values.SelectMany(m => m.Versions).Select(v => $"{v.Name}/{v.Version} {v.State} {v.Reason}")));
        BaseAddress = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();

        // The links first, on their own, so that nothing can ever recurse into the real model folders.
        foreach (var real in (string[])["resnet18", "minilm"])
        {
            Directory.Delete(Path.Combine(_root, real));
        }

        Directory.Delete(_root, recursive: true);
    }

    /// <summary>
    /// logit("1") = 10 x (mean ink in the centre columns 12-15 of rows 4-23 - mean ink elsewhere), every other logit 0,
    /// with ink = (normalised + 1) / 2 for mean 0.5 and std 0.5. A centred white vertical stroke on black scores about 4
    /// (probability ≈ 0.9); an empty image scores 0 (a tie); black on white scores below 0, so the page's framing matters.
    /// </summary>
    private void WriteStrokeClassifier()
    {
        const int Pixels = 28 * 28;
        var inside = new bool[Pixels];
        for (var y = 4; y < 24; y++)
        {
            for (var x = 12; x < 16; x++)
            {
                inside[(y * 28) + x] = true;
            }
        }

        var count = inside.Count(i => i);
        var weights = new float[Pixels * 10];
        for (var p = 0; p < Pixels; p++)
        {
            // 10 x (ink_in / n_in - ink_out / n_out) with ink = x / 2 + 1/2: the 1/2 terms cancel.
            weights[(p * 10) + 1] = inside[p] ? 5f / count : -5f / (Pixels - count);
        }

        WriteModel("mnist", TinyOnnxModels.LinearClassifier("input", [1, 28, 28], "logits", weights, new float[10]), """
            {
              "max_batch_size": 8,
              "inputs": [ { "name": "input", "datatype": "FP32", "dims": [1, 28, 28] } ],
              "outputs": [ { "name": "logits", "datatype": "FP32", "dims": [10] } ],
              "pipeline": { "kind": "image-classifier", "labels": "labels.txt",
                "image": { "width": 28, "height": 28, "channels": 1, "scale": 0.00392156862745098, "mean": [0.5], "std": [0.5], "invert": false } }
            }
            """, ("labels.txt", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n"));
    }

    private void WriteRecommender() =>
        WriteModel("recommender", TinyOnnxModels.Recommender(TaskModelsFixture.UserScores, TaskModelsFixture.Users, TaskModelsFixture.ItemCosines, TaskModelsFixture.Items), $$"""
            {
              "max_batch_size": 8,
              "inputs": [ { "name": "user_ids", "datatype": "INT64", "dims": [1] }, { "name": "item_ids", "datatype": "INT64", "dims": [1] } ],
              "outputs": [ { "name": "user_scores", "datatype": "FP32", "dims": [{{TaskModelsFixture.Items}}] }, { "name": "item_scores", "datatype": "FP32", "dims": [{{TaskModelsFixture.Items}}] } ],
              "pipeline": { "kind": "recommender", "num_users": {{TaskModelsFixture.Users}}, "num_items": {{TaskModelsFixture.Items}}, "popular_items": [4, 2, 0, 1, 3], "item_names": "items.txt" }
            }
            """, ("items.txt", string.Join('\n', TaskModelsFixture.ItemNames)));

    private void WriteModel(string name, byte[] onnx, string config, params (string Name, string Text)[] files)
    {
        var version = Path.Combine(_root, name, "1");
        Directory.CreateDirectory(version);
        File.WriteAllText(Path.Combine(_root, name, "config.json"), config);
        File.WriteAllBytes(Path.Combine(version, "model.onnx"), onnx);
        foreach (var (file, text) in files)
        {
            File.WriteAllText(Path.Combine(version, file), text);
        }
    }
}

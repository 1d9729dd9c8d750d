using InferenceService.Runtime.Repository;
using InferenceService.Tests.Pipelines;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceService.Tests.Apis;

/// <summary>
/// A service over a temporary repository: the real minilm (linked) plus tiny generated models with the training
/// module's contracts: "digits" (image classifier), "spamhead" (text classifier) and "shop" (recommender).
/// </summary>
public sealed class TaskModelsFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const int Users = 3;
    public const int Items = 5;

    /// <summary>Row u: user u's score of every item.</summary>
    public static readonly float[] UserScores =
    [
        0.1f, 0.9f, 0.3f, 0.7f, 0.5f,
        0.5f, 0.4f, 0.3f, 0.2f, 0.1f,
        0.0f, 0.0f, 1.0f, 0.0f, 0.0f,
    ];

    /// <summary>Row i: the cosine of item i to every item (symmetric, 1 on the diagonal).</summary>
    public static readonly float[] ItemCosines =
    [
        1.0f, 0.2f, 0.8f, 0.1f, 0.5f,
        0.2f, 1.0f, 0.3f, 0.9f, 0.4f,
        0.8f, 0.3f, 1.0f, 0.2f, 0.6f,
        0.1f, 0.9f, 0.2f, 1.0f, 0.7f,
        0.5f, 0.4f, 0.6f, 0.7f, 1.0f,
    ];

    public static readonly string[] ItemNames = ["apple", "banana", "cherry", "date", "elderberry"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "task-models-" + Guid.NewGuid().ToString("N"));

    public HttpClient Client { get; private set; } = null!;

    public ModelRegistry Models => Services.GetRequiredService<ModelRegistry>();

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "InferenceService.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("InferenceService.sln not found above " + AppContext.BaseDirectory);
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        Directory.CreateSymbolicLink(Path.Combine(_root, "minilm"), Path.Combine(RepositoryRoot(), "models", "minilm"));
        WriteDigits();
        WriteSpamHead();
        WriteShop();

        Client = CreateClient();
        await Models.Startup.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(Models.IsReady, "models not ready: " + string.Join("; ", Models.Models.Values.SelectMany(m => m.Versions).Select(v => $"{v.Name}/{v.Version} {v.State} {v.Reason}")));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();

        // The link first, on its own, so that nothing can ever recurse into the real minilm folder.
        Directory.Delete(Path.Combine(_root, "minilm"));
        Directory.Delete(_root, recursive: true);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseSetting("ModelRepository:Path", _root);

    /// <summary>
    /// logits = [10 x mean(normalised pixels), 2, 0, ..., 0]: a white image (normalised 1) gives class 0, a black one
    /// (normalised -1 with mean 0.5 and std 0.5) gives class 1.
    /// </summary>
    private void WriteDigits()
    {
        var weights = new float[784 * 10];
        for (var p = 0; p < 784; p++)
        {
            weights[p * 10] = 10f / 784;
        }

        float[] bias = [0, 2, 0, 0, 0, 0, 0, 0, 0, 0];
        WriteModel("digits", TinyOnnxModels.LinearClassifier("input", [1, 28, 28], "logits", weights, bias), """
            {
              "max_batch_size": 8,
              "inputs": [ { "name": "input", "datatype": "FP32", "dims": [1, 28, 28] } ],
              "outputs": [ { "name": "logits", "datatype": "FP32", "dims": [10] } ],
              "pipeline": { "kind": "image-classifier", "labels": "labels.txt",
                "image": { "width": 28, "height": 28, "channels": 1, "scale": 0.00392156862745098, "mean": [0.5], "std": [0.5], "invert": false } }
            }
            """, ("labels.txt", "zero\none\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n"));
    }

    /// <summary>logits = [100 x embedding[0], 100 x embedding[1]]; max_tokens 16 so truncation shows with short texts.</summary>
    private void WriteSpamHead()
    {
        var weights = new float[384 * 2];
        weights[0] = 100;
        weights[3] = 100;
        WriteModel("spamhead", TinyOnnxModels.LinearClassifier("embedding", [384], "logits", weights, [0, 0]), """
            {
              "max_batch_size": 8,
              "inputs": [ { "name": "embedding", "datatype": "FP32", "dims": [384] } ],
              "outputs": [ { "name": "logits", "datatype": "FP32", "dims": [2] } ],
              "pipeline": { "kind": "text-classifier", "embedding_model": "minilm", "labels": "labels.txt", "max_tokens": 16 }
            }
            """, ("labels.txt", "ham\nspam\n"));
    }

    private void WriteShop() =>
        WriteModel("shop", TinyOnnxModels.Recommender(UserScores, Users, ItemCosines, Items), $$"""
            {
              "max_batch_size": 8,
              "inputs": [ { "name": "user_ids", "datatype": "INT64", "dims": [1] }, { "name": "item_ids", "datatype": "INT64", "dims": [1] } ],
              "outputs": [ { "name": "user_scores", "datatype": "FP32", "dims": [{{Items}}] }, { "name": "item_scores", "datatype": "FP32", "dims": [{{Items}}] } ],
              "pipeline": { "kind": "recommender", "num_users": {{Users}}, "num_items": {{Items}}, "popular_items": [4, 2, 0, 1, 3], "item_names": "items.txt" }
            }
            """, ("items.txt", string.Join('\n', ItemNames)));

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

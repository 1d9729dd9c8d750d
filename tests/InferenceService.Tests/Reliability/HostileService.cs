using System.Net;
using System.Net.Sockets;
using InferenceService.Tests.Apis;
using InferenceService.Tests.Pipelines;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceService.Tests.Reliability;

/// <summary>
/// A real Kestrel server (127.0.0.1, dynamic ports for REST and gRPC) over every kind of model a route can reach:
/// the real resnet18 and minilm (linked), and tiny generated image classifier, text classifier and recommender.
/// Small body limits (2 MiB) keep the oversized cases cheap.
/// </summary>
public sealed class HostileService : IAsyncLifetime
{
    public const string ApiKey = "hostile-corpus-key";
    public const long MaxBodyBytes = 2 * 1024 * 1024;

    private CustomService _service = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public Uri GrpcAddress { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var grpcPort = FreePort();
        _service = new CustomService(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Admin:ApiKey"] = ApiKey,
            ["Limits:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _service.AddRealModel("resnet18");
        _service.AddRealModel("minilm");
        WriteTaskModels();
        _service.UseKestrel();
        _service.StartServer();
        await _service.Models.Startup.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(_service.Models.IsReady, "models not ready: " + string.Join("; ", _service.Models.Models.Values.SelectMany(m => m.Versions).Select(v => $"{v.Name}/{v.Version} {v.State} {v.Reason}")));
        GrpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");
        var addresses = _service.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Select(a => new Uri(a)).First(a => a.Port != grpcPort).GetLeftPart(UriPartial.Authority));
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Task DisposeAsync()
    {
        Client?.Dispose();
        _service.Dispose();
        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WriteTaskModels()
    {
        var digitWeights = new float[784 * 10];
        Write("digits", TinyOnnxModels.LinearClassifier("input", [1, 28, 28], "logits", digitWeights, new float[10]), """
            { "max_batch_size": 8, "execution_providers": ["cpu"],
              "inputs": [ { "name": "input", "datatype": "FP32", "dims": [1, 28, 28] } ],
              "outputs": [ { "name": "logits", "datatype": "FP32", "dims": [10] } ],
              "pipeline": { "kind": "image-classifier", "labels": "labels.txt",
                "image": { "width": 28, "height": 28, "channels": 1, "scale": 0.00392156862745098, "mean": [0.5], "std": [0.5], "invert": false } } }
            """, ("labels.txt", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n"));
        Write("spamhead", TinyOnnxModels.LinearClassifier("embedding", [384], "logits", new float[384 * 2], [0, 0]), """
            { "max_batch_size": 8, "execution_providers": ["cpu"],
              "inputs": [ { "name": "embedding", "datatype": "FP32", "dims": [384] } ],
              "outputs": [ { "name": "logits", "datatype": "FP32", "dims": [2] } ],
              "pipeline": { "kind": "text-classifier", "embedding_model": "minilm", "labels": "labels.txt", "max_tokens": 16 } }
            """, ("labels.txt", "ham\nspam\n"));
        Write("shop", TinyOnnxModels.Recommender(TaskModelsFixture.UserScores, TaskModelsFixture.Users, TaskModelsFixture.ItemCosines, TaskModelsFixture.Items), $$"""
            { "max_batch_size": 8, "execution_providers": ["cpu"],
              "inputs": [ { "name": "user_ids", "datatype": "INT64", "dims": [1] }, { "name": "item_ids", "datatype": "INT64", "dims": [1] } ],
              "outputs": [ { "name": "user_scores", "datatype": "FP32", "dims": [{{TaskModelsFixture.Items}}] }, { "name": "item_scores", "datatype": "FP32", "dims": [{{TaskModelsFixture.Items}}] } ],
              "pipeline": { "kind": "recommender", "num_users": {{TaskModelsFixture.Users}}, "num_items": {{TaskModelsFixture.Items}}, "popular_items": [4, 2, 0, 1, 3], "item_names": "items.txt" } }
            """, ("items.txt", string.Join('\n', TaskModelsFixture.ItemNames)));
    }

    private void Write(string name, byte[] onnx, string config, (string Name, string Text) file)
    {
        _service.Write(Path.Combine(name, "config.json"), config);
        _service.Write(Path.Combine(name, "1", file.Name), file.Text);
        File.WriteAllBytes(Path.Combine(_service.RepositoryPath, name, "1", "model.onnx"), onnx);
    }
}

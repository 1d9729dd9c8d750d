using System.Text.Json;
using System.Text.Json.Nodes;
using InferenceService.Runtime.Pipelines;

namespace InferenceService.Tests.Apis;

/// <summary>
/// A service over a scratch repository of three copies of MiniLM described only by files and a few lines of pipeline:
/// <c>encoder</c> (its vocabulary renamed wordpiece.txt, named in pipeline.tokenizer), <c>cls-raw</c> (cls pooling, not
/// normalised, E5-style prefixes; the TEI routes' model) and <c>last-raw</c> (last-token pooling, not normalised).
/// </summary>
public sealed class TextModelFilesFixture : IAsyncLifetime
{
    private readonly CustomService _service = new(new() { ["Tei:Model"] = "cls-raw" });

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        AddMiniLmCopy("encoder", """{ "kind": "text-embedder", "tokenizer": { "kind": "wordpiece", "vocab": "wordpiece.txt" }, "max_tokens": 256 }""", "wordpiece.txt");
        AddMiniLmCopy("cls-raw", """{ "kind": "text-embedder", "pooling": "cls", "normalize": false, "query_prefix": "query: ", "passage_prefix": "passage: " }""", TextTokenizer.VocabFileName);
        AddMiniLmCopy("last-raw", """{ "kind": "text-embedder", "pooling": "last-token", "normalize": false }""", TextTokenizer.VocabFileName);
        Client = await _service.StartAsync();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _service.DisposeAsync();
    }

    /// <summary>MiniLM's model.onnx (linked) and vocab.txt (copied as <paramref name="vocabName"/>), MiniLM's config with <paramref name="pipeline"/>.</summary>
    private void AddMiniLmCopy(string name, string pipeline, string vocabName)
    {
        var source = Path.Combine(RepoPaths.Models, "minilm");
        var version = Path.Combine(_service.RepositoryPath, name, "1");
        Directory.CreateDirectory(version);
        File.CreateSymbolicLink(Path.Combine(version, "model.onnx"), Path.Combine(source, "1", "model.onnx"));
        File.Copy(Path.Combine(source, "1", TextTokenizer.VocabFileName), Path.Combine(version, vocabName));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "config.json")), documentOptions: new() { CommentHandling = JsonCommentHandling.Skip })!;
        config["pipeline"] = JsonNode.Parse(pipeline);
        _service.Write(Path.Combine(name, "config.json"), config.ToJsonString());
    }
}

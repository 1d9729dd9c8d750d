using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using InferenceService.Runtime.Pipelines;
using InferenceService.Runtime.Repository;

namespace InferenceService.Training.Datasets;

/// <summary>
/// An image backbone version as the repository serves it (models/resnet18/1): its ONNX file, input and output names and
/// the preprocessing its config describes (the model-level pipeline with the version's pipeline.json merged over it),
/// so training feeds it exactly the pixels the service does.
/// </summary>
internal sealed record Backbone
{
    private static readonly JsonSerializerOptions ConfigJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public required string Folder { get; init; }

    public required string ModelName { get; init; }

    public required int Version { get; init; }

    public required string InputName { get; init; }

    public required string OutputName { get; init; }

    public required int Features { get; init; }

    public required ImageSpec Image { get; init; }

    /// <summary>The image section as written in config.json (snake_case), for the head's own config.</summary>
    public required JsonObject ImageJson { get; init; }

    public string OnnxPath => Path.Combine(Folder, "model.onnx");

    /// <summary>Opens <paramref name="versionFolder"/> (…/&lt;model&gt;/&lt;version&gt;); the model-level config.json is its parent's.</summary>
    public static Backbone Open(string versionFolder)
    {
        var folder = Path.GetFullPath(versionFolder);
        var configPath = Path.Combine(Path.GetDirectoryName(folder)!, "config.json");
        if (!File.Exists(Path.Combine(folder, "model.onnx")) || !File.Exists(configPath))
        {
            throw new FileNotFoundException(
                $"The image backbone is missing: expected {Path.Combine(folder, "model.onnx")} and {configPath}. " +
                "Build src/InferenceService (it provisions models/resnet18/1) or pass --backbone <version folder>.");
        }

        var documentOptions = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        var config = JsonNode.Parse(File.ReadAllText(configPath), documentOptions: documentOptions)!.AsObject();
        var pipeline = config["pipeline"]?.DeepClone().AsObject() ?? [];
        var versionPipeline = Path.Combine(folder, "pipeline.json");
        if (File.Exists(versionPipeline))
        {
            VersionPipelineSettings.Merge(pipeline, JsonNode.Parse(File.ReadAllText(versionPipeline), documentOptions: documentOptions)!.AsObject());
        }

        var imageJson = pipeline["image"]?.AsObject() ?? throw new InvalidDataException($"{configPath} has no pipeline.image section.");
        var image = imageJson.Deserialize<ImageSpec>(ConfigJson)!;
        if (image.Problem() is { } problem)
        {
            throw new InvalidDataException($"{configPath}: pipeline.{problem}.");
        }

        var output = config["outputs"]![0]!;
        var features = output["dims"]!.AsArray().Aggregate(1, (a, d) => a * d!.GetValue<int>());
        var name = Path.GetFileName(folder);
        return new Backbone
        {
            Folder = folder,
            ModelName = Path.GetFileName(Path.GetDirectoryName(folder)!),
            Version = int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0,
            InputName = config["inputs"]![0]!["name"]!.GetValue<string>(),
            OutputName = output["name"]!.GetValue<string>(),
            Features = features,
            Image = image,
            ImageJson = imageJson.DeepClone().AsObject(),
        };
    }

    /// <summary>A short identity of the weights and preprocessing, for embedding cache keys.</summary>
    public string Key()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var stream = File.OpenRead(OnnxPath))
        {
            hash.AppendData(SHA256.HashData(stream));
        }

        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(ImageJson.ToJsonString()));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}

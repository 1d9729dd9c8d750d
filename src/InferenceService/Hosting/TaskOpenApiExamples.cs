using System.Text.Json.Nodes;
using InferenceService.Apis;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InferenceService.Hosting;

/// <summary>
/// Request bodies and working examples for the task endpoints (/v1/vision, /v1/text, /v1/recommendations). The image
/// endpoints read their body themselves (multipart or raw), so their request body is described here; Swagger UI then
/// offers a file picker. Model names in the examples are those the repository serves: resnet18 and minilm, and the
/// training module's mnist, spam and recommender.
/// </summary>
internal sealed class TaskOpenApiExamples : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var name = context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
        switch (name)
        {
            case VisionApi.EmbeddingsOperation:
                operation.RequestBody = ImageBody("One or more images (at most Tasks:MaxImagesPerRequest) as file parts, or one raw image. Try docs/examples/disc.jpg.", multiple: true, raw: true);
                SetResponseExample(operation, """{ "model": "resnet18", "dimensions": 512, "embeddings": [[0.0014948306, 0, 0.0030901798, 0, 0.0043010437]] }""");
                break;
            case VisionApi.SimilarityOperation:
                operation.RequestBody = ImageBody("Exactly two images as file parts (curl -F image=@docs/examples/disc.jpg -F image=@docs/examples/disc-small.png).", multiple: true, raw: false);
                SetResponseExample(operation, """{ "model": "resnet18", "cosine": 0.9951715 }""");
                break;
            case VisionApi.ClassifyOperation:
                operation.RequestBody = ImageBody("One image as a file part or a raw body; it is resized to the model's input size. Try docs/examples/digit-7.png.", multiple: false, raw: true);
                SetExamples(operation, ("model", "mnist"), ("k", 3));
                SetResponseExample(operation, """{ "model": "mnist", "version": "1", "predictions": [{ "label": "7", "index": 7, "probability": 0.9999996 }, { "label": "9", "index": 9, "probability": 3.66e-7 }, { "label": "3", "index": 3, "probability": 5.7e-8 }] }""");
                break;
            case TextApi.EmbeddingsOperation:
                SetJsonExample(operation, """{ "texts": ["This is a test.", "A man is eating food."] }""");
                SetResponseExample(operation, """{ "model": "minilm", "dimensions": 384, "data": [{ "index": 0, "embedding": [0.03359076, 0.010512521, -0.017499782, 0.02935179, -0.009419513], "tokens": 7, "truncated": false }] }""");
                break;
            case TextApi.SimilarityOperation:
                SetJsonExample(operation, """{ "query": "A man is eating food.", "candidates": ["A man is eating a piece of bread.", "The girl is carrying a baby."] }""");
                SetResponseExample(operation, """{ "model": "minilm", "query_truncated": false, "results": [{ "index": 0, "text": "A man is eating a piece of bread.", "cosine": 0.75533706, "truncated": false }, { "index": 1, "text": "The girl is carrying a baby.", "cosine": -0.10495848, "truncated": false }] }""");
                break;
            case TextApi.ClassifyOperation:
                SetJsonExample(operation, """{ "text": "WINNER!! You have been selected to receive a 900 prize. Call now to claim." }""");
                SetExamples(operation, ("model", "spam"));
                SetResponseExample(operation, """{ "model": "spam", "version": "1", "label": "spam", "probability": 0.98, "probabilities": [{ "label": "spam", "index": 1, "probability": 0.98 }, { "label": "ham", "index": 0, "probability": 0.02 }], "tokens": 24, "truncated": false }""");
                break;
            case RecommendationsApi.UserOperation:
                SetExamples(operation, ("model", "recommender"), ("userId", "0"), ("k", 10), ("exclude", new JsonArray("1", "2")), ("fallback", "none"));
                SetResponseExample(operation, """{ "model": "recommender", "user_id": 0, "cold_start": false, "items": [{ "item_id": 42, "score": 0.87, "name": null }] }""");
                break;
            case RecommendationsApi.SimilarOperation:
                SetExamples(operation, ("model", "recommender"), ("itemId", "0"), ("k", 10));
                SetResponseExample(operation, """{ "model": "recommender", "item_id": 0, "items": [{ "item_id": 7, "score": 0.93, "name": null }] }""");
                break;
            default:
                break;
        }

        return Task.CompletedTask;
    }

    private static OpenApiRequestBody ImageBody(string description, bool multiple, bool raw)
    {
        var file = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        var form = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "image" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["image"] = multiple ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = file } : file,
            },
        };
        var content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = form } };
        if (raw)
        {
            foreach (var type in (string[])["image/jpeg", "image/png", "image/webp"])
            {
                content[type] = new OpenApiMediaType { Schema = file };
            }
        }

        return new OpenApiRequestBody { Required = true, Description = description, Content = content };
    }

    private static void SetJsonExample(OpenApiOperation operation, string json)
    {
        if (operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true && media is OpenApiMediaType typed)
        {
            typed.Example = JsonNode.Parse(json);
        }
    }

    /// <summary>
    /// An example 200 answer, so readers see the shape without running anything: resnet18, minilm and mnist values are
    /// real answers (vectors shortened); spam and recommender values only illustrate the shape.
    /// </summary>
    private static void SetResponseExample(OpenApiOperation operation, string json)
    {
        if (operation.Responses?.TryGetValue("200", out var response) == true && response.Content?.TryGetValue("application/json", out var media) == true && media is OpenApiMediaType typed)
        {
            typed.Example = JsonNode.Parse(json);
        }
    }

    private static void SetExamples(OpenApiOperation operation, params (string Name, JsonNode Value)[] examples)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            foreach (var (name, value) in examples)
            {
                if (parameter.Name == name)
                {
                    parameter.Example = value.DeepClone();
                }
            }

            // The handlers parse k themselves (to answer k=abc with a 400 naming the limit); the document still says integer.
            if (parameter.Name == "k")
            {
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" };
            }
        }
    }
}

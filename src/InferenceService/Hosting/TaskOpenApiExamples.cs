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
                operation.RequestBody = ImageBody("One or more images (at most Tasks:MaxImagesPerRequest) as file parts, or one raw image.", multiple: true, raw: true);
                break;
            case VisionApi.SimilarityOperation:
                operation.RequestBody = ImageBody("Exactly two images as file parts (curl -F image=@a.jpg -F image=@b.jpg).", multiple: true, raw: false);
                break;
            case VisionApi.ClassifyOperation:
                operation.RequestBody = ImageBody("One image as a file part or a raw body; it is resized to the model's input size.", multiple: false, raw: true);
                SetExamples(operation, ("model", "mnist"), ("k", 3));
                break;
            case TextApi.EmbeddingsOperation:
                SetJsonExample(operation, """{ "texts": ["This is a test.", "A man is eating food."] }""");
                break;
            case TextApi.SimilarityOperation:
                SetJsonExample(operation, """{ "query": "A man is eating food.", "candidates": ["A man is eating a piece of bread.", "The girl is carrying a baby."] }""");
                break;
            case TextApi.ClassifyOperation:
                SetJsonExample(operation, """{ "text": "WINNER!! You have been selected to receive a 900 prize. Call now to claim." }""");
                SetExamples(operation, ("model", "spam"));
                break;
            case RecommendationsApi.UserOperation:
                SetExamples(operation, ("model", "recommender"), ("userId", "0"), ("k", 10), ("exclude", "1,2"), ("fallback", "none"));
                break;
            case RecommendationsApi.SimilarOperation:
                SetExamples(operation, ("model", "recommender"), ("itemId", "0"), ("k", 10));
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
        }
    }
}

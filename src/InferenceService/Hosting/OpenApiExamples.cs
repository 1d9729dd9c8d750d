using System.Text.Json.Nodes;
using InferenceService.Apis;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InferenceService.Hosting;

/// <summary>
/// Request bodies and working examples for operations that read their body themselves (so that any content type is
/// accepted, as Triton does), and example values for route parameters, so Swagger UI's "Try it out" works as is.
/// </summary>
internal sealed class OpenApiExamples : IOpenApiOperationTransformer
{
    /// <summary>"This is a test." tokenised for MiniLM.</summary>
    public static JsonObject MiniLmInferExample() => JsonNode.Parse("""
        {
          "id": "example-1",
          "inputs": [
            { "name": "input_ids", "shape": [1, 7], "datatype": "INT64", "data": [101, 2023, 2003, 1037, 3231, 1012, 102] },
            { "name": "attention_mask", "shape": [1, 7], "datatype": "INT64", "data": [1, 1, 1, 1, 1, 1, 1] },
            { "name": "token_type_ids", "shape": [1, 7], "datatype": "INT64", "data": [0, 0, 0, 0, 0, 0, 0] }
          ]
        }
        """)!.AsObject();

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var name = context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
        if (name is V2Api.InferOperation or V2Api.InferVersionOperation)
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(InferRequestBody), null, cancellationToken).ConfigureAwait(false);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = "V2 infer request: JSON tensors (flat or nested data), optional output subset and parameters.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = schema, Example = MiniLmInferExample() },
                },
            };
        }

        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            parameter.Example = parameter.Name switch
            {
                "name" => JsonValue.Create("minilm"),
                "version" => JsonValue.Create("1"),
                _ => parameter.Example,
            };
        }
    }
}

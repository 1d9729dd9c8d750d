using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InferenceService.Hosting;

/// <summary>Title and description of the OpenAPI document.</summary>
internal sealed class OpenApiDocumentInfo : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "InferenceService",
            Version = "v1",
            Description = "ONNX models over the Open Inference Protocol (KServe V2 REST, as Triton speaks it).",
        };
        return Task.CompletedTask;
    }
}

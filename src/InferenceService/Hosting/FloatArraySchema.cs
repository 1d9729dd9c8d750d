using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace InferenceService.Hosting;

/// <summary>
/// The schema generator knows nothing of a custom converter's output: it describes a float[] property as "anything" and
/// a list of float[] as an array without items. float[] has such a converter (<see cref="ShortestFloatArrayConverter"/>),
/// so both are described here as before: arrays of the generator's own float schema.
/// </summary>
internal sealed class FloatArraySchema : IOpenApiSchemaTransformer
{
    public async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        var type = context.JsonTypeInfo;
        if (type.Type == typeof(float[]))
        {
            schema.Type = JsonSchemaType.Array;
            schema.Items = await FloatAsync(context, cancellationToken).ConfigureAwait(false);
        }
        else if (type.Kind == JsonTypeInfoKind.Enumerable && type.ElementType == typeof(float[]))
        {
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.Array, Items = await FloatAsync(context, cancellationToken).ConfigureAwait(false) };
        }
    }

    private static Task<OpenApiSchema> FloatAsync(OpenApiSchemaTransformerContext context, CancellationToken cancellationToken) =>
        context.GetOrCreateSchemaAsync(typeof(float), cancellationToken: cancellationToken);
}

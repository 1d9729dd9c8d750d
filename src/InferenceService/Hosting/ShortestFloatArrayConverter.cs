using System.Text.Json;
using System.Text.Json.Serialization;
using InferenceService.Runtime.Protocol;

namespace InferenceService.Hosting;

/// <summary>
/// float[] in task answers (embeddings): the same text as System.Text.Json's own converter (the shortest that round-trips),
/// written by the runtime's formatter in runs (<see cref="FloatJsonElements"/>) at a third of the cost per value. An array
/// holding NaN or an infinity, and reading, are left to System.Text.Json with the web defaults the service uses (numbers
/// written as numbers, so it refuses NaN as before).
/// </summary>
internal sealed class ShortestFloatArrayConverter : JsonConverter<float[]>
{
    public override float[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<float[]>(ref reader, JsonSerializerOptions.Web);

    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        foreach (var item in value)
        {
            if (!float.IsFinite(item))
            {
                JsonSerializer.Serialize(writer, value, JsonSerializerOptions.Web);
                return;
            }
        }

        writer.WriteStartArray();
        FloatJsonElements.Write(writer, value);
        writer.WriteEndArray();
    }
}

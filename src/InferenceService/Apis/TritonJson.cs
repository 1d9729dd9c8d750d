using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace InferenceService.Apis;

/// <summary>
/// A protobuf message as Triton's HTTP frontend writes it: the protobuf JSON mapping with the .proto field names and
/// every field (defaults included), except that 64-bit integers are JSON numbers, not the mapping's strings. Triton
/// rewrites them so (its clients index <c>dims</c> as integers); the mapping's parsers accept either.
/// </summary>
internal static class TritonJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithPreserveProtoFieldNames(true));

    private static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var json = JsonNode.Parse(Formatter.Format(message))!.AsObject();
        NumbersFor(json, message.Descriptor);
        return json.ToJsonString(Output);
    }

    /// <summary>Walks the JSON alongside the message's descriptor, replacing each 64-bit integer's string with its number.</summary>
    private static void NumbersFor(JsonObject json, MessageDescriptor descriptor)
    {
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            switch (json[field.Name])
            {
                case null:
                    break;
                case JsonObject map when field.IsMap:
                    var valueField = field.MessageType.FindFieldByNumber(2);
                    foreach (var key in map.Select(p => p.Key).ToList())
                    {
                        Replace(map[key], valueField, n => map[key] = n);
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        var index = i;
                        Replace(array[i], field, n => array[index] = n);
                    }

                    break;
                case var value:
                    Replace(value, field, n => json[field.Name] = n);
                    break;
            }
        }
    }

    private static void Replace(JsonNode? node, FieldDescriptor field, Action<JsonNode> set)
    {
        switch (field.FieldType)
        {
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 when node is JsonValue value && value.TryGetValue(out string? text):
                set(JsonValue.Create(long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)));
                break;
            case FieldType.UInt64 or FieldType.Fixed64 when node is JsonValue value && value.TryGetValue(out string? text):
                set(JsonValue.Create(ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)));
                break;
            case FieldType.Message when node is JsonObject inner:
                NumbersFor(inner, field.MessageType);
                break;
        }
    }
}

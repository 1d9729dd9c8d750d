using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace InferenceService.Client;

/// <summary>
/// Writes an infer request body (JSON, or a JSON header followed by binary inputs) and reads a response body (JSON,
/// or a JSON header of <c>Inference-Header-Content-Length</c> bytes followed by the binary outputs, in order).
/// </summary>
internal static class V2InferCodec
{
    public const string HeaderLengthName = "Inference-Header-Content-Length";

    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    public static HttpRequestMessage CreateRequest(Uri url, InferRequest request)
    {
        var body = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(body))
        {
            WriteHeader(writer, request);
        }

        var headerLength = body.WrittenCount;
        if (request.BinaryInputs)
        {
            foreach (var input in request.Inputs)
            {
                BinaryTensorCodec.Encode(input, body);
            }
        }

        var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ReadOnlyMemoryContent(body.WrittenMemory) };
        message.Content.Headers.ContentType = request.BinaryInputs ? OctetStream : Json;
        if (request.BinaryInputs)
        {
            message.Headers.Add(HeaderLengthName, headerLength.ToString(CultureInfo.InvariantCulture));
        }

        return message;
    }

    public static async Task<InferResponse> ReadResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var headerLength = bytes.Length;
        if (response.Headers.TryGetValues(HeaderLengthName, out var values) || response.Content.Headers.TryGetValues(HeaderLengthName, out values))
        {
            var text = values.FirstOrDefault();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out headerLength) || headerLength > bytes.Length)
            {
                throw new InvalidDataException($"{HeaderLengthName} is '{text}', not a length within the {bytes.Length}-byte body.");
            }
        }

        return Read(bytes.AsMemory(0, headerLength), bytes.AsMemory(headerLength));
    }

    private static void WriteHeader(Utf8JsonWriter writer, InferRequest request)
    {
        writer.WriteStartObject();
        if (request.Id is not null)
        {
            writer.WriteString("id", request.Id);
        }

        writer.WriteStartArray("inputs");
        foreach (var input in request.Inputs)
        {
            writer.WriteStartObject();
            writer.WriteString("name", input.Name);
            writer.WriteStartArray("shape");
            foreach (var dim in input.Shape)
            {
                writer.WriteNumberValue(dim);
            }

            writer.WriteEndArray();
            writer.WriteString("datatype", input.Datatype);
            if (request.BinaryInputs)
            {
                writer.WriteStartObject("parameters");
                writer.WriteNumber("binary_data_size", BinaryTensorCodec.SizeOf(input));
                writer.WriteEndObject();
            }
            else
            {
                writer.WritePropertyName("data");
                JsonTensorCodec.WriteData(writer, input);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (request.Outputs.Count > 0)
        {
            writer.WriteStartArray("outputs");
            foreach (var output in request.Outputs)
            {
                writer.WriteStartObject();
                writer.WriteString("name", output.Name);
                if (output.Binary)
                {
                    writer.WriteStartObject("parameters");
                    writer.WriteBoolean("binary_data", true);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (request.BinaryOutputs || request.Priority is not null || request.TimeoutMicroseconds is not null)
        {
            writer.WriteStartObject("parameters");
            if (request.BinaryOutputs)
            {
                writer.WriteBoolean("binary_data_output", true);
            }

            if (request.Priority is { } priority)
            {
                writer.WriteNumber("priority", priority);
            }

            if (request.TimeoutMicroseconds is { } timeout)
            {
                writer.WriteNumber("timeout", timeout);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static InferResponse Read(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> binary)
    {
        using var document = JsonDocument.Parse(header);
        var root = document.RootElement;
        var outputs = new List<InferTensor>();
        var offset = 0;
        foreach (var output in root.GetProperty("outputs").EnumerateArray())
        {
            var name = output.GetProperty("name").GetString()!;
            var datatype = output.GetProperty("datatype").GetString()!;
            var shape = output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var count = InferTensor.ElementCount(shape, name);
            Array data;
            if (output.TryGetProperty("parameters", out var parameters) && parameters.TryGetProperty("binary_data_size", out var sizeElement))
            {
                var size = sizeElement.GetInt32();
                if (size > binary.Length - offset)
                {
                    throw new InvalidDataException($"Output '{name}' announces {size} binary bytes, {binary.Length - offset} are left in the response.");
                }

                data = BinaryTensorCodec.Decode(datatype, count, binary.Span.Slice(offset, size), name);
                offset += size;
            }
            else
            {
                data = JsonTensorCodec.ReadData(output.GetProperty("data"), datatype, count, name);
            }

            outputs.Add(InferTensor.FromWire(name, datatype, shape, data));
        }

        return new InferResponse(
            root.GetProperty("model_name").GetString()!,
            root.TryGetProperty("model_version", out var version) ? version.GetString() ?? string.Empty : string.Empty,
            root.TryGetProperty("id", out var id) ? id.GetString() : null,
            outputs);
    }
}

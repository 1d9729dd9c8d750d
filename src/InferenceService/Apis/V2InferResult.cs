using System.Buffers;
using System.Globalization;
using System.Text.Json;
using InferenceService.Runtime.Protocol;
using InferenceService.Runtime.Telemetry;
using InferenceService.Runtime.Tensors;

namespace InferenceService.Apis;

/// <summary>
/// Streams a V2 infer response. With binary outputs (the binary tensor data extension) the JSON header is followed
/// by each binary output's bytes and its length goes in <c>Inference-Header-Content-Length</c>.
/// </summary>
internal sealed class V2InferResult(string model, long version, V2InferRequest request, IReadOnlyList<Tensor> outputs) : IResult
{
    public const string HeaderLengthName = "Inference-Header-Content-Length";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using var span = InferenceTelemetry.Source.StartActivity(InferenceTelemetry.PostprocessSpan);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        var binary = outputs.Where(o => request.IsBinaryOutput(o.Name)).ToList();
        if (binary.Count == 0)
        {
            response.ContentType = "application/json";
            await using (var writer = new Utf8JsonWriter(response.BodyWriter, new JsonWriterOptions { SkipValidation = true }))
            {
                V2JsonResponseWriter.Write(writer, model, version, request.Id, outputs);
            }

            await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
            return;
        }

        var header = new ArrayBufferWriter<byte>();
        await using (var writer = new Utf8JsonWriter(header, new JsonWriterOptions { SkipValidation = true }))
        {
            V2JsonResponseWriter.Write(writer, model, version, request.Id, outputs, request.IsBinaryOutput);
        }

        response.ContentType = "application/octet-stream";
        response.Headers[HeaderLengthName] = header.WrittenCount.ToString(CultureInfo.InvariantCulture);
        response.ContentLength = header.WrittenCount + binary.Sum(BinaryTensorData.SizeOf);
        response.BodyWriter.Write(header.WrittenSpan);
        foreach (var output in binary)
        {
            BinaryTensorData.Encode(output, response.BodyWriter);
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}

using InferenceService.Runtime.Pipelines;

namespace InferenceService.Apis;

/// <summary>Reads a request body up to a per-endpoint limit; a larger body is refused (413) as soon as it is known to be larger.</summary>
internal static class TaskBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, string setting, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length && length > limit)
        {
            throw TooLarge(limit, setting);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit, setting);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static PipelineException TooLarge(long limit, string setting) =>
        new(PipelineErrorKind.TooLarge, $"The request body exceeds the limit of {limit} bytes ({setting}).");
}

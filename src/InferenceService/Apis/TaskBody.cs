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

        if (request.ContentLength is { } declared)
        {
            // One array of the declared size: a growing MemoryStream and its copy would hold three times the body at its peak.
            return await ReadDeclaredAsync(request.Body, (int)declared, cancellationToken).ConfigureAwait(false);
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

    private static async Task<byte[]> ReadDeclaredAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var result = new byte[length];
        var filled = 0;
        int read;
        while (filled < length && (read = await body.ReadAsync(result.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
        {
            filled += read;
        }

        // Kestrel ends a body at its Content-Length and fails one that ends early, so this is a safety net.
        return filled == length ? result : throw PipelineException.BadRequest($"The request body ended after {filled} of its {length} declared bytes.");
    }

    private static PipelineException TooLarge(long limit, string setting) =>
        new(PipelineErrorKind.TooLarge, $"The request body exceeds the limit of {limit} bytes ({setting}).");
}

using System.Buffers;
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

    /// <summary>
    /// Like <see cref="ReadAsync"/>, but a body of declared length goes into a pooled array that is returned when the
    /// response ends, so that large uploads reuse a few buffers instead of leaving one large-object-heap array each for
    /// the garbage collector. The memory must not be kept past the request.
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>> ReadPooledAsync(HttpRequest request, long limit, string setting, CancellationToken cancellationToken)
    {
        if (request.ContentLength is not { } declared)
        {
            return await ReadAsync(request, limit, setting, cancellationToken).ConfigureAwait(false);
        }

        if (declared > limit)
        {
            throw TooLarge(limit, setting);
        }

        var rented = new PooledBuffer((int)declared);
        request.HttpContext.Response.RegisterForDispose(rented);
        var filled = 0;
        int read;
        while (filled < declared && (read = await request.Body.ReadAsync(rented.Array.AsMemory(filled, (int)declared - filled), cancellationToken).ConfigureAwait(false)) > 0)
        {
            filled += read;
        }

        return filled == declared ? rented.Array.AsMemory(0, filled) : throw PipelineException.BadRequest($"The request body ended after {filled} of its {declared} declared bytes.");
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

    /// <summary>An array rented for one request; returned to the pool when the response is disposed.</summary>
    private sealed class PooledBuffer(int length) : IDisposable
    {
        public byte[] Array { get; } = ArrayPool<byte>.Shared.Rent(length);

        public void Dispose() => ArrayPool<byte>.Shared.Return(Array);
    }
}
